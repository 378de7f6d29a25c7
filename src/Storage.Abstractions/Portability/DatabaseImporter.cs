namespace GatewayStorage.Portability;

/// <summary>
/// Loads a portable file written by <see cref="DatabaseExporter"/> into a database of either engine, after validating
/// all of it.
/// </summary>
/// <remarks>
/// <para>The import checks what the copy checks (<see cref="DatabaseCopier"/>): the file, the target and this library
/// are at one schema version, the target is empty (unless <see cref="DatabaseCopyOptions.SkipExisting"/>), and the target
/// holds no check values for other keys. It then reads the whole file once and validates the manifest and every row
/// (shape, types, per-line checks, row counts and digests) before it writes anything; a file that is truncated, edited,
/// or of a newer format version is refused with a <see cref="PortableFileException"/> naming the table and line.</para>
/// <para>The rows are then written in one transaction of the target through the same bulk loaders as the copy (binary
/// <c>COPY</c> on PostgreSQL), read back and compared with the manifest's digests before the commit. The file is streamed
/// in both passes: memory stays flat whatever its size. No key is needed and nothing is decrypted.</para>
/// </remarks>
public static class DatabaseImporter
{
    /// <summary>Imports the file at <paramref name="path"/> into <paramref name="target"/>, then verifies it.</summary>
    /// <param name="target">The provider to write: migrated to this library's schema version and empty, unless <see cref="DatabaseCopyOptions.SkipExisting"/>.</param>
    /// <param name="path">The file to read; its extension names the container: <c>.zip</c>, or <c>.tar.gz</c> (<c>.tgz</c>).</param>
    /// <param name="options">
    /// How to import; <see langword="null"/> for the defaults. <see cref="DatabaseCopyOptions.DryRun"/> validates the file
    /// and the target and writes nothing.
    /// </param>
    /// <param name="progress">Receives progress per table while rows are written (while they are validated in a dry run), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>
    /// Per table, the manifest's row count and digest (as the source's), the rows written, and the target's count and
    /// digest after the import (<see langword="null"/> in a dry run).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names neither a <c>.zip</c> nor a <c>.tar.gz</c> file.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="PortableFileException">The file is invalid, truncated, edited or of a newer format version. Nothing was written.</exception>
    /// <exception cref="DatabaseCopyRefusedException">
    /// The file or the target is at another schema version than this library, the target holds rows (without
    /// <see cref="DatabaseCopyOptions.SkipExisting"/>), or it holds key check values for keys the file does not have. Nothing was written.
    /// </exception>
    /// <exception cref="NotSupportedException"><paramref name="target"/> is not one of this library's backends.</exception>
    /// <exception cref="StorageException">The engine failed; the target is as it was before the import.</exception>
    /// <exception cref="OperationCanceledException">The import was cancelled; the target is as it was before the import.</exception>
    public static Task<DatabaseCopyReport> ImportAsync(
        IDatabaseProvider target,
        string path,
        DatabaseCopyOptions? options = null,
        IProgress<CopyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var format = PortableArchiveFormats.FromPath(path, nameof(path));
        options = DatabaseCopyOptions.Checked(options);
        if (target.Capability<IPortableFileProvider>() is not { } provider)
        {
            throw new NotSupportedException($"The target provider ({target.GetType().Name}) is not a GatewayStorage backend and cannot be imported into.");
        }

        return provider.ImportFromFileAsync(Path.GetFullPath(path), format, options, progress, cancellationToken);
    }
}
