namespace GatewayStorage.Portability;

/// <summary>
/// Writes every entity of a database to one portable file that <see cref="DatabaseImporter"/> loads into a database of
/// either engine. The format is documented in <c>docs/portable-format.md</c>: a manifest (format version, schema version,
/// creation time, per-table row counts and digests) and one JSON Lines stream per table, in a <c>.zip</c> or <c>.tar.gz</c>.
/// </summary>
/// <remarks>
/// <para>The export reads one snapshot of the source, every table in key order, and streams it: memory stays flat
/// whatever the size. Rows are written as stored: encrypted values stay ciphertext, hashes stay hashes, and the key check
/// values travel with them. The export needs no key, never decrypts, and the file never holds a plaintext secret; the
/// database that imports it reads the secrets with the source's keys.</para>
/// <para>The file is written beside <c>path</c> under a temporary name and moved into place when complete, replacing an
/// existing file: a failed or cancelled export leaves no partial file.</para>
/// </remarks>
public static class DatabaseExporter
{
    /// <summary>Exports every table of <paramref name="source"/> to the file at <paramref name="path"/>.</summary>
    /// <param name="source">The provider to read; it is only read.</param>
    /// <param name="path">The file to write; its extension chooses the container: <c>.zip</c>, or <c>.tar.gz</c> (<c>.tgz</c>).</param>
    /// <param name="progress">Receives progress per table, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>
    /// Per table, the rows written and their digest (as <see cref="TableCopyResult.SourceRows"/>, <see cref="TableCopyResult.WrittenRows"/>
    /// and <see cref="TableCopyResult.SourceDigest"/>; the target columns are those of the file, which verified equal).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names neither a <c>.zip</c> nor a <c>.tar.gz</c> file.</exception>
    /// <exception cref="DatabaseCopyRefusedException">The source is not at this library's schema version.</exception>
    /// <exception cref="NotSupportedException"><paramref name="source"/> is not one of this library's backends.</exception>
    /// <exception cref="StorageException">The engine failed; no file was left behind.</exception>
    /// <exception cref="IOException">The file could not be written; no file was left behind.</exception>
    /// <exception cref="OperationCanceledException">The export was cancelled; no file was left behind.</exception>
    public static Task<DatabaseCopyReport> ExportAsync(
        IDatabaseProvider source,
        string path,
        IProgress<CopyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var format = PortableArchiveFormats.FromPath(path, nameof(path));
        if (source.Capability<IPortableFileProvider>() is not { } provider)
        {
            throw new NotSupportedException($"The source provider ({source.GetType().Name}) is not a GatewayStorage backend and cannot be exported.");
        }

        return provider.ExportToFileAsync(Path.GetFullPath(path), format, progress, cancellationToken);
    }
}
