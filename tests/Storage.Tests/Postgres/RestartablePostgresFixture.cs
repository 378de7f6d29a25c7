using System.Data.Common;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Infrastructure;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// PostgreSQL on a cluster of the test class's own, which its tests may restart and stop: the shared test server,
/// which every other class uses in parallel, is never touched. The cluster is removed when the class is done.
/// </summary>
public sealed class RestartablePostgresFixture : StorageFixture
{
    private readonly Lazy<Task<PostgresServer.LocalCluster>> _cluster =
        new(() => Task.Run(PostgresServer.StartPrivateClusterAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    public override string Backend => "postgres";

    internal Task<PostgresServer.LocalCluster> ClusterAsync() => _cluster.Value;

    public override async Task<string> CreateDatabaseAsync()
    {
        var cluster = await ClusterAsync();
        return await cluster.Server.CreateDatabaseAsync("restart");
    }

    public override async Task<DbConnection> OpenRawConnectionAsync(string url)
    {
        var settings = GatewayStorage.Postgres.PostgresConnectionStrings.FromUrl(url);
        settings.Pooling = false; // a raw connection must not outlive a restart in a pool
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override IDatabaseBackend CreateBackend() => new PostgresBackend();

    protected override async Task CleanUpAsync()
    {
        if (_cluster.IsValueCreated)
        {
            await (await _cluster.Value).DisposeAsync();
        }
    }
}
