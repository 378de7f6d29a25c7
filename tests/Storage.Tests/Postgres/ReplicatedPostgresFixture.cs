using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Infrastructure;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// A primary and a streaming standby of the test class's own (<c>pg_basebackup -R</c>, free ports, removed when the
/// class is done), which its tests may pause, stop and promote. The class's URL lists both hosts.
/// </summary>
public abstract class ReplicatedPostgresFixture : StorageFixture
{
    private readonly Lazy<Task<(PostgresServer.LocalCluster Primary, PostgresServer.LocalCluster Standby)>> _pair;
    private readonly string _parameters;

    /// <param name="synchronous">Whether a commit waits for the standby (<c>synchronous_standby_names = '*'</c>).</param>
    /// <param name="parameters">The URL's query, e.g. <c>target_session_attrs=read-write&amp;read_from=standby</c>.</param>
    protected ReplicatedPostgresFixture(bool synchronous, string parameters)
    {
        _parameters = parameters;
        _pair = new(() => Task.Run(() => StartPairAsync(synchronous)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override string Backend => "postgres";

    internal async Task<PostgresServer.LocalCluster> PrimaryAsync() => (await _pair.Value).Primary;

    internal async Task<PostgresServer.LocalCluster> StandbyAsync() => (await _pair.Value).Standby;

    public override async Task<string> CreateDatabaseAsync()
    {
        var (primary, standby) = await _pair.Value;
        var direct = await primary.Server.CreateDatabaseAsync("repl");
        var database = GatewayStorage.Postgres.ConnectionUri.Parse(direct).Database!;
        return string.Create(CultureInfo.InvariantCulture,
            $"postgresql://postgres@127.0.0.1:{primary.Port},127.0.0.1:{standby.Port}/{database}?{_parameters}");
    }

    public override async Task<DbConnection> OpenRawConnectionAsync(string url)
    {
        var settings = GatewayStorage.Postgres.PostgresConnectionStrings.FromUrl(url);
        settings.Pooling = false; // a raw connection must not outlive a stopped server in a pool
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Opens a connection to one server of the pair, to the database of <paramref name="url"/>.</summary>
    internal static async Task<NpgsqlConnection> OpenAsync(PostgresServer.LocalCluster server, string url)
    {
        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = server.Port,
            Username = "postgres",
            Database = GatewayStorage.Postgres.ConnectionUri.Parse(url).Database,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Polls, with a deadline, until the standby has replayed everything the primary has written so far.</summary>
    internal async Task WaitForReplayAsync(string url)
    {
        var (primary, standby) = await _pair.Value;
        await using var onPrimary = await OpenAsync(primary, url);
        await using var onStandby = await OpenAsync(standby, url);
        var target = (string)(await new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", onPrimary).ExecuteScalarAsync())!;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var check = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn", onStandby);
            check.Parameters.AddWithValue("target", target);
            if ((bool)(await check.ExecuteScalarAsync())!)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The standby did not replay up to {target} within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    protected override IDatabaseBackend CreateBackend() => new PostgresBackend();

    protected override async Task CleanUpAsync()
    {
        if (_pair.IsValueCreated)
        {
            var (primary, standby) = await _pair.Value;
            await standby.DisposeAsync();
            await primary.DisposeAsync();
        }
    }

    private static async Task<(PostgresServer.LocalCluster, PostgresServer.LocalCluster)> StartPairAsync(bool synchronous)
    {
        var primary = await PostgresServer.StartPrivateClusterAsync();
        try
        {
            var standby = await primary.StartStandbyAsync();
            if (synchronous)
            {
                await using var admin = new NpgsqlConnection(primary.Server.AdminConnectionString);
                await admin.OpenAsync();
                await new NpgsqlCommand("ALTER SYSTEM SET synchronous_standby_names = '*'", admin).ExecuteNonQueryAsync();
                await new NpgsqlCommand("SELECT pg_reload_conf()", admin).ExecuteNonQueryAsync();
                var deadline = Stopwatch.StartNew();
                while (!"sync".Equals(await new NpgsqlCommand("SELECT max(sync_state) FROM pg_stat_replication", admin).ExecuteScalarAsync()))
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                    {
                        throw new TimeoutException("The standby did not become synchronous within 30 s.");
                    }

                    await Task.Delay(20);
                }
            }

            return (primary, standby);
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }
}
