using GatewayStorage.Security;

namespace GatewayStorage.Relational;

/// <summary>
/// Re-encrypts every encrypted value under the key ring's newest key (see <see cref="EncryptionKeyRotator"/>): column by
/// column, in keyset batches, each batch read on its own session and written in its own short transaction.
/// </summary>
/// <remarks>
/// Values are decrypted and re-encrypted between the read and the write, never while a transaction is open (on SQLite a
/// write transaction must not wait on anything but the database). Each update is a compare-and-set on the value read,
/// so a value that a concurrent write replaced in between is left as that write stored it, and counted.
/// </remarks>
internal static class KeyRotation
{
    /// <summary>Every encrypted column, grouped by table in the order rotation reports them.</summary>
    public static readonly IReadOnlyList<EncryptedColumn> Columns =
        [.. OAuthProviderStore.EncryptedColumns, .. OAuthTokenStore.EncryptedColumns, .. CredentialStore.EncryptedColumns];

    public static async Task<KeyRotationReport> RunAsync(
        StoreContext context, int batchSize, IProgress<KeyRotationProgress>? progress, CancellationToken cancellationToken)
    {
        var keys = context.Secrets.Keys;
        var prefix = $"v1:{keys.CurrentKeyId}:";
        var tables = Columns.Select(c => c.Table).Distinct().ToList();
        var results = new List<KeyRotationTableResult>(tables.Count);
        for (var index = 0; index < tables.Count; index++)
        {
            var table = tables[index];
            progress?.Report(new KeyRotationProgress(table, index, tables.Count, 0, Completed: false));
            long rotated = 0, changed = 0;
            foreach (var column in Columns.Where(c => c.Table == table))
            {
                Guid? after = null;
                while (true)
                {
                    var batch = await ReadBatchAsync(context, column, prefix, after, batchSize, cancellationToken).ConfigureAwait(false);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    var updates = batch.ConvertAll(row =>
                    {
                        var secret = new SecretContext(column.Table, row.Id, column.Column);
                        return (row.Id, row.Stored, Rotated: keys.Encrypt(keys.Decrypt(row.Stored, secret), secret));
                    });
                    var written = await WriteBatchAsync(context, column, updates, cancellationToken).ConfigureAwait(false);
                    rotated += written;
                    changed += batch.Count - written;
                    progress?.Report(new KeyRotationProgress(table, index, tables.Count, rotated, Completed: false));
                    after = batch[^1].Id;
                    if (batch.Count < batchSize)
                    {
                        break;
                    }
                }
            }

            results.Add(new KeyRotationTableResult(table, rotated, changed));
            progress?.Report(new KeyRotationProgress(table, index, tables.Count, rotated, Completed: true));
        }

        return new KeyRotationReport(keys.CurrentKeyId, results);
    }

    internal static async Task<List<(Guid Id, string Stored)>> ReadBatchAsync(
        StoreContext context, EncryptedColumn column, string prefix, Guid? after, int batchSize, CancellationToken cancellationToken)
    {
        var session = await context.ReadAsync(column.Table, cancellationToken, "RotateKeys").ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? column.SelectFirst : column.SelectAfter)
                .Text("prefix", prefix)
                .Int32("prefix_length", prefix.Length)
                .Int32("limit", batchSize);
            if (after is { } last)
            {
                statement.Guid("after", last);
            }

            return await statement.QueryAsync(static (in Row r) => (r.Guid(0), r.Text(1)), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task<int> WriteBatchAsync(
        StoreContext context, EncryptedColumn column, List<(Guid Id, string Stored, string Rotated)> updates, CancellationToken cancellationToken)
    {
        var session = await context.WriteAsync(column.Table, cancellationToken, "RotateKeys").ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            var written = 0;
            foreach (var (id, stored, rotated) in updates)
            {
                written += await session.Sql(column.Update)
                    .Text("rotated", rotated)
                    .Guid("id", id)
                    .Text("stored", stored)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }
}
