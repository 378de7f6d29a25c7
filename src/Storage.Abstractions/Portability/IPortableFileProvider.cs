namespace GatewayStorage.Portability;

/// <summary>
/// The capability behind <see cref="DatabaseExporter"/> and <see cref="DatabaseImporter"/>: a provider that can write
/// its stored rows, as stored, to a portable file and load one. The relational provider of both backends implements it.
/// </summary>
internal interface IPortableFileProvider
{
    /// <summary>Writes every table to the file at <paramref name="path"/>; see <see cref="DatabaseExporter.ExportAsync"/>.</summary>
    Task<DatabaseCopyReport> ExportToFileAsync(
        string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Loads the file at <paramref name="path"/>; see <see cref="DatabaseImporter.ImportAsync"/>.</summary>
    Task<DatabaseCopyReport> ImportFromFileAsync(
        string path, PortableArchiveFormat format, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken);
}
