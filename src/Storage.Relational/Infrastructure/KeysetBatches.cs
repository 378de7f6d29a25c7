using System.Runtime.CompilerServices;

namespace GatewayStorage.Relational;

/// <summary>
/// The one streaming loop: reads a table in keyset batches (<c>WHERE key &gt; @after ORDER BY key LIMIT @limit</c>),
/// each batch its own short read session, so memory stays flat and no connection or transaction is held while the
/// caller works on the rows. Read sessions never take the SQLite writer lock.
/// </summary>
internal static class KeysetBatches
{
    /// <summary>Streams the rows of a table whose statements return one row per item.</summary>
    /// <param name="context">The store context.</param>
    /// <param name="collection">The table streamed (each batch is one span and duration measurement about it).</param>
    /// <param name="first">The first batch's statement: <c>… ORDER BY key LIMIT @limit</c>.</param>
    /// <param name="after">A later batch's statement: <c>… WHERE key &gt; @after… ORDER BY key LIMIT @limit</c>.</param>
    /// <param name="read">Reads one row.</param>
    /// <param name="bindAfter">Binds the keyset parameters of <paramref name="after"/> from the last item of a batch.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="operation">The store operation.</param>
    public static IAsyncEnumerable<T> StreamAsync<T>(
        StoreContext context, string collection, string first, string after, RowReader<T> read, Action<Statement, T> bindAfter,
        CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        StreamAsync(context, collection, first, after, read, static rows => rows, bindAfter, cancellationToken, operation);

    /// <summary>
    /// Streams the rows of a table whose statements join children (one row per child): <paramref name="fold"/> turns
    /// a batch's rows into items, and the statements limit the parents, not the joined rows.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamAsync<TRow, T>(
        StoreContext context,
        string collection,
        string first,
        string after,
        RowReader<TRow> read,
        Func<List<TRow>, List<T>> fold,
        Action<Statement, T> bindAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        [CallerMemberName] string operation = "")
    {
        var batchSize = context.Options.StreamBatchSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1, nameof(GatewayStorageOptions.StreamBatchSize));
        var hasLast = false;
        T last = default!;
        while (true)
        {
            List<T> batch;
            var session = await context.ReadAsync(collection, cancellationToken, operation).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                var statement = session.Sql(hasLast ? after : first).Int32("limit", batchSize);
                if (hasLast)
                {
                    bindAfter(statement, last);
                }

                batch = fold(await statement.QueryAsync(read, cancellationToken).ConfigureAwait(false));
            }

            // The session is closed before the first row is handed out: a slow consumer holds nothing open.
            foreach (var item in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }

            if (batch.Count < batchSize)
            {
                yield break;
            }

            last = batch[^1];
            hasLast = true;
        }
    }
}
