namespace GatewayStorage.Portability;

/// <summary>
/// Copies every entity from one database to another, in either direction between SQLite and PostgreSQL or between
/// two databases of one engine, and verifies the result.
/// </summary>
/// <remarks>
/// <para>Rows are copied as stored: ids, versions and timestamps are kept, encrypted values travel as ciphertext and
/// hashes as hashes. The copy needs no key and never sees a plaintext secret; the target reads the secrets with the
/// same keys as the source (and verifies API keys with the same API-key hashing key).</para>
/// <para>Tables are read in key order and written in dependency order, row by row as they stream, so memory stays
/// flat. The whole copy is one transaction on the target: a failed, cancelled or unverified copy leaves the target as
/// it was. PostgreSQL targets load through binary <c>COPY</c>; SQLite targets through one prepared insert per table.</para>
/// <para>After the writes, and before the commit, every table of the target is read back and compared with the
/// source by row count and a SHA-256 digest of its canonical rows in key order.</para>
/// </remarks>
public static class DatabaseCopier
{
    /// <summary>Copies every table of <paramref name="source"/> into <paramref name="target"/>, then verifies it.</summary>
    /// <param name="source">The provider to read; it is only read.</param>
    /// <param name="target">The provider to write: migrated to the source's schema version and empty, unless <see cref="DatabaseCopyOptions.SkipExisting"/>.</param>
    /// <param name="options">How to copy; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives progress per table, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>
    /// Per table, the rows read and written and both digests. When a table differs (possible only with
    /// <see cref="DatabaseCopyOptions.SkipExisting"/> or a faulty engine), the report says which, and without
    /// <see cref="DatabaseCopyOptions.SkipExisting"/> the copy is rolled back (<see cref="DatabaseCopyReport.Committed"/> is false).
    /// </returns>
    /// <exception cref="DatabaseCopyRefusedException">
    /// The target is at another schema version than the source, holds rows (without <see cref="DatabaseCopyOptions.SkipExisting"/>),
    /// or holds key check values for keys the source does not have. Nothing was written.
    /// </exception>
    /// <exception cref="NotSupportedException">A provider is not one of this library's backends.</exception>
    /// <exception cref="StorageException">An engine failed; the target is as it was before the copy.</exception>
    /// <exception cref="OperationCanceledException">The copy was cancelled; the target is as it was before the copy.</exception>
    public static Task<DatabaseCopyReport> CopyAsync(
        IDatabaseProvider source,
        IDatabaseProvider target,
        DatabaseCopyOptions? options = null,
        IProgress<CopyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(source, target))
        {
            throw new ArgumentException("The source and the target of a copy must be different providers.", nameof(target));
        }

        options = DatabaseCopyOptions.Checked(options);
        if (source.Capability<IDatabaseCopySource>() is not { } copySource)
        {
            throw new NotSupportedException($"The source provider ({source.GetType().Name}) is not a GatewayStorage backend and cannot be copied from.");
        }

        return copySource.CopyToAsync(target, options, progress, cancellationToken);
    }
}
