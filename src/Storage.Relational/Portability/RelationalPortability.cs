using GatewayStorage.Portability;
using GatewayStorage.Security;

namespace GatewayStorage.Relational;

/// <summary>
/// What moves a relational database's stored rows as they are: copies into another provider of this library, portable
/// files, and re-encryption under the newest key (the capabilities behind <see cref="DatabaseCopier"/>,
/// <see cref="DatabaseExporter"/>, <see cref="DatabaseImporter"/> and <see cref="EncryptionKeyRotator"/>).
/// </summary>
internal sealed class RelationalPortability(StoreContext context) : IDatabaseCopySource, IPortableFileProvider, IKeyRotationTarget
{
    /// <inheritdoc />
    public Task<DatabaseCopyReport> CopyToAsync(
        IDatabaseProvider target, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        target is RelationalDatabaseProvider relational
            ? DatabaseCopy.RunAsync(context, relational.Context, options, progress, cancellationToken)
            : throw new NotSupportedException($"The target provider ({target.GetType().Name}) is not a GatewayStorage backend and cannot be copied into.");

    /// <inheritdoc />
    public Task<KeyRotationReport> RotateKeysAsync(int batchSize, IProgress<KeyRotationProgress>? progress, CancellationToken cancellationToken) =>
        KeyRotation.RunAsync(context, batchSize, progress, cancellationToken);

    /// <inheritdoc />
    public Task<DatabaseCopyReport> ExportToFileAsync(
        string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        PortableFileExport.RunAsync(context, path, format, progress, cancellationToken);

    /// <inheritdoc />
    public Task<DatabaseCopyReport> ImportFromFileAsync(
        string path, PortableArchiveFormat format, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        PortableFileImport.RunAsync(context, path, format, options, progress, cancellationToken);
}
