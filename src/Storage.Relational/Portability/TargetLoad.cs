using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>
/// The writing half of a copy or an import: in one transaction of the target, checks it, writes every table's rows
/// through the dialect's bulk loader in dependency order, reads every table back, and commits only when it verified.
/// </summary>
internal static class TargetLoad
{
    /// <summary>Loads the rows <paramref name="rowsOf"/> streams for each table of <see cref="PortableTables.All"/>.</summary>
    /// <param name="target">The database to write.</param>
    /// <param name="sourceChecks">The key check values of the source: the target may hold no others.</param>
    /// <param name="options">Whether existing rows are skipped, and how often progress is reported.</param>
    /// <param name="rowsOf">The rows of a table, in key order; called once per table, in order.</param>
    /// <param name="progress">Receives progress per table, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    public static async Task<DatabaseCopyReport> RunAsync(
        StoreContext target,
        List<(string KeyId, string Purpose, byte[] Check)> sourceChecks,
        DatabaseCopyOptions options,
        Func<PortableTable, CancellationToken, IAsyncEnumerable<object?[]>> rowsOf,
        IProgress<CopyProgress>? progress,
        CancellationToken cancellationToken)
    {
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
                copied.Add(await LoadTableAsync(rowsOf(tables[i], cancellationToken), targetSession, i, options, progress, cancellationToken).ConfigureAwait(false));
            }

            var results = new List<TableCopyResult>(tables.Count);
            for (var i = 0; i < tables.Count; i++)
            {
                var (rows, digest) = await DatabaseCopy.DigestAsync(targetSession, tables[i], cancellationToken).ConfigureAwait(false);
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

    private static async Task<(long Rows, long Written, string Digest)> LoadTableAsync(
        IAsyncEnumerable<object?[]> source, DbSession targetSession, int index, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
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
                await foreach (var row in source.ConfigureAwait(false))
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
}
