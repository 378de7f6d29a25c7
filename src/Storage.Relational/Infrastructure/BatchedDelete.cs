using System.Runtime.CompilerServices;

namespace GatewayStorage.Relational;

/// <summary>The one prune loop: deletes in bounded batches, each its own short statement.</summary>
internal static class BatchedDelete
{
    /// <summary>
    /// Runs a <c>DELETE … WHERE id IN (SELECT id … WHERE … &lt; @before LIMIT @limit)</c> until a batch deletes fewer
    /// rows than the batch size. No lock is held on the table between batches.
    /// </summary>
    /// <param name="context">The store context.</param>
    /// <param name="collection">The table pruned (each batch is one span and duration measurement about it).</param>
    /// <param name="sql">The batch's statement.</param>
    /// <param name="before">The cut-off time.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="operation">The store operation.</param>
    /// <returns>The number of rows deleted.</returns>
    public static async Task<long> RunAsync(
        StoreContext context, string collection, string sql, DateTimeOffset before, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var batchSize = context.Options.PruneBatchSize;
        var cutoff = StorageTime.Normalize(before);
        long total = 0;
        int deleted;
        do
        {
            // A session per batch: on SQLite the writer lock is let go between batches, so other writers get their turn.
            var session = await context.WriteAsync(collection, cancellationToken, operation).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                deleted = await session.Sql(sql).Time("before", cutoff).Int32("limit", batchSize)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            total += deleted;
        }
        while (deleted >= batchSize);

        return total;
    }
}
