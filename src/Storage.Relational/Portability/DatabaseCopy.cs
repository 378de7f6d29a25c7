using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>
/// Copies every table of one relational database into another, as stored, in one snapshot of the source and one
/// transaction of the target, and verifies the result before committing (see <see cref="DatabaseCopier"/>).
/// </summary>
/// <remarks>
/// The copy opens its sessions without the providers' start-up checks: it reads and writes stored rows only, never
/// decrypts or hashes anything, and so needs no key (neither provider's key ring is used).
/// </remarks>
internal static class DatabaseCopy
{
    public static async Task<DatabaseCopyReport> RunAsync(
        StoreContext source, StoreContext target, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        await CopyPreconditions.CheckSchemaAsync(source, target, cancellationToken).ConfigureAwait(false);
        var sourceSession = await source.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (sourceSession.ConfigureAwait(false))
        {
            await sourceSession.BeginSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var sourceChecks = await CopyPreconditions.ReadKeyChecksAsync(sourceSession, cancellationToken).ConfigureAwait(false);
            if (options.DryRun)
            {
                var readSession = await target.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
                await using (readSession.ConfigureAwait(false))
                {
                    await CopyPreconditions.CheckTargetAsync(readSession, sourceChecks, options.SkipExisting, cancellationToken).ConfigureAwait(false);
                }

                return await DryRunAsync(sourceSession, CopyPreconditions.KeyWarnings(target, sourceChecks), progress, cancellationToken).ConfigureAwait(false);
            }

            var targetSession = await target.OpenRawAsync(SessionKind.Write, cancellationToken).ConfigureAwait(false);
            await using (targetSession.ConfigureAwait(false))
            {
                await targetSession.BeginAsync(cancellationToken).ConfigureAwait(false);
                await CopyPreconditions.CheckTargetAsync(targetSession, sourceChecks, options.SkipExisting, cancellationToken).ConfigureAwait(false);

                // The target's check values are all the source's too (checked above): they are written again as the source recorded them.
                await targetSession.Sql(CopyPreconditions.DeleteKeyChecks).ExecuteAsync(cancellationToken).ConfigureAwait(false);

                var tables = PortableTables.All;
                var copied = new List<(long Rows, long Written, string Digest)>(tables.Count);
                for (var i = 0; i < tables.Count; i++)
                {
                    copied.Add(await CopyTableAsync(sourceSession, targetSession, i, options, progress, cancellationToken).ConfigureAwait(false));
                }

                var results = new List<TableCopyResult>(tables.Count);
                for (var i = 0; i < tables.Count; i++)
                {
                    var (rows, digest) = await DigestAsync(targetSession, tables[i], cancellationToken).ConfigureAwait(false);
                    results.Add(new TableCopyResult(tables[i].Name, copied[i].Rows, copied[i].Written, rows, copied[i].Digest, digest));
                }

                // Without skip-existing the target must equal the source; a difference is rolled back, not committed.
                var commit = options.SkipExisting || results.TrueForAll(r => r.Matches);
                if (commit)
                {
                    await targetSession.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                return new DatabaseCopyReport(results, DryRun: false, Committed: commit, CopyPreconditions.KeyWarnings(target, sourceChecks));
            }
        }
    }

    private static async Task<(long Rows, long Written, string Digest)> CopyTableAsync(
        DbSession sourceSession, DbSession targetSession, int index, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = PortableTables.All;
        var table = tables[index];
        var dialect = targetSession.Dialect;
        progress?.Report(new CopyProgress(table.Name, index, tables.Count, 0, Completed: false));
        using var digest = new TableDigest(table);
        try
        {
            var loader = await dialect.CreateBulkLoaderAsync(targetSession, table, options.SkipExisting, cancellationToken).ConfigureAwait(false);
            await using (loader.ConfigureAwait(false))
            {
                await foreach (var row in RawRows.StreamAsync(sourceSession, table, cancellationToken).ConfigureAwait(false))
                {
                    digest.Append(row);
                    await loader.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                    if (digest.Rows % options.ProgressInterval == 0)
                    {
                        progress?.Report(new CopyProgress(table.Name, index, tables.Count, digest.Rows, Completed: false));
                    }
                }

                var written = await loader.CompleteAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(new CopyProgress(table.Name, index, tables.Count, digest.Rows, Completed: true));
                return (digest.Rows, written, digest.Finish());
            }
        }
        catch (Exception ex) when (ex is not StorageException and not OperationCanceledException
            && dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            // A bulk loader talks to the engine directly: its errors come out typed like every statement's.
            throw StorageErrors.Translate(dialect, error, ex);
        }
    }

    private static async Task<DatabaseCopyReport> DryRunAsync(
        DbSession sourceSession, List<string> warnings, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = PortableTables.All;
        var results = new List<TableCopyResult>(tables.Count);
        for (var i = 0; i < tables.Count; i++)
        {
            progress?.Report(new CopyProgress(tables[i].Name, i, tables.Count, 0, Completed: false));
            var (rows, digest) = await DigestAsync(sourceSession, tables[i], cancellationToken).ConfigureAwait(false);
            progress?.Report(new CopyProgress(tables[i].Name, i, tables.Count, rows, Completed: true));
            results.Add(new TableCopyResult(tables[i].Name, rows, 0, null, digest, null));
        }

        return new DatabaseCopyReport(results, DryRun: true, Committed: false, warnings);
    }

    /// <summary>The row count and content digest of a table as the session sees it.</summary>
    public static async Task<(long Rows, string Digest)> DigestAsync(DbSession session, PortableTable table, CancellationToken cancellationToken)
    {
        using var digest = new TableDigest(table);
        await foreach (var row in RawRows.StreamAsync(session, table, cancellationToken).ConfigureAwait(false))
        {
            digest.Append(row);
        }

        return (digest.Rows, digest.Finish());
    }
}
