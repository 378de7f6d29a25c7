namespace GatewayStorage.Relational;

/// <summary>
/// Writes the raw rows of one table into a target session's open transaction. A dialect chooses how
/// (<see cref="SqlDialect.CreateBulkLoaderAsync"/>): by default one prepared insert per row; PostgreSQL through binary COPY.
/// </summary>
internal abstract class BulkLoader : IAsyncDisposable
{
    /// <summary>Writes one row: one value per column of the table, as <see cref="RawRows"/> reads them.</summary>
    public abstract ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken);

    /// <summary>Finishes the table and returns how many rows it wrote (skipped rows not counted).</summary>
    public abstract ValueTask<long> CompleteAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
