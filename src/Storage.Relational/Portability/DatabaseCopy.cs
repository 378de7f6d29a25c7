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
                await CopyPreconditions.CheckTargetReadOnlyAsync(target, sourceChecks, options.SkipExisting, cancellationToken).ConfigureAwait(false);

                return await DryRunAsync(sourceSession, CopyPreconditions.KeyWarnings(target, sourceChecks), progress, cancellationToken).ConfigureAwait(false);
            }

            return await TargetLoad.RunAsync(
                target, sourceChecks, options, (table, token) => RawRows.StreamAsync(sourceSession, table, token), progress, cancellationToken).ConfigureAwait(false);
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
