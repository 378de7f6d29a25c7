using System.Runtime.CompilerServices;
using System.Diagnostics.Metrics;
using GatewayStorage.Relational;

namespace GatewayStorage.Sqlite;

/// <summary>
/// <c>db.client.connection.count</c> for the SQLite pools: one observable instrument on the library's meter that reads
/// every live <see cref="SqliteDataSource"/> when a listener collects, by <c>db.client.connection.state</c> (idle, used)
/// and <c>db.client.connection.pool.name</c> (the database: <c>sqlite:/path/to/file.db</c> or <c>sqlite::memory:</c>).
/// </summary>
internal static class SqlitePoolMetrics
{
    // Weak: a pool its owner forgot to dispose is not kept alive by its metrics.
    private static readonly ConditionalWeakTable<SqliteDataSource, object?> Pools = new();

    private static readonly ObservableUpDownCounter<long> ConnectionCount = StorageTelemetry.Meter.CreateObservableUpDownCounter(
        "db.client.connection.count", Observe, "{connection}", "Connections of the SQLite pools by state: idle or used.");

    public static void Register(SqliteDataSource pool)
    {
        // Touching the instrument creates it with the first pool.
        _ = ConnectionCount;
        Pools.AddOrUpdate(pool, null);
    }

    public static void Unregister(SqliteDataSource pool) => Pools.Remove(pool);

    private static IEnumerable<Measurement<long>> Observe()
    {
        foreach (var (pool, _) in Pools)
        {
            var (idle, used) = pool.Usage();
            var name = new KeyValuePair<string, object?>("db.client.connection.pool.name", pool.Description);
            yield return new Measurement<long>(idle, new KeyValuePair<string, object?>("db.client.connection.state", "idle"), name);
            yield return new Measurement<long>(used, new KeyValuePair<string, object?>("db.client.connection.state", "used"), name);
        }
    }
}
