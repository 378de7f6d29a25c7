using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GatewayStorage.Tests.Conformance;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Tests.Lifecycle;

/// <summary>
/// <see cref="IDatabaseLifecycle.CheckHealthAsync"/> answers within <see cref="GatewayStorageOptions.HealthCheckTimeout"/>
/// whatever the server does; a probe (Kubernetes gives up after 1 s) must never wait out the start-up retry.
/// </summary>
public sealed class HealthCheckTimeoutTests : IAsyncLifetime
{
    // Generous: the point is "not 30 s", not an exact time on a shared, busy machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private readonly SqliteFixture _sqlite = new();
    private readonly List<IDatabaseProvider> _providers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _sqlite.DisposeAsync();
    }

    [Fact]
    public async Task CheckHealthAsync_on_a_closed_postgres_port_answers_unhealthy_well_before_the_start_up_retry_ends()
    {
        var port = ClosedPort();
        var db = Postgres($"postgresql://app:secret@127.0.0.1:{port}/gateway");

        var started = Stopwatch.GetTimestamp();
        var health = await db.CheckHealthAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.False(health.IsHealthy);
        Assert.Equal("postgres", health.Backend);
        Assert.False(string.IsNullOrWhiteSpace(health.Error));
        Assert.DoesNotContain("secret", health.Error, StringComparison.Ordinal);
        Assert.True(elapsed < Bound, $"The health check took {elapsed}.");
    }

    [Fact]
    public async Task CheckHealthAsync_against_a_server_that_accepts_and_never_answers_reports_it_did_not_answer_within_the_timeout()
    {
        using var silent = new SilentServer();
        var db = Postgres($"postgresql://app:secret@127.0.0.1:{silent.Port}/gateway?connect_timeout=60");

        var started = Stopwatch.GetTimestamp();
        var health = await db.CheckHealthAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.False(health.IsHealthy);
        Assert.Contains("did not answer within 2 s", health.Error, StringComparison.Ordinal);
        Assert.True(elapsed < Bound, $"The health check took {elapsed}.");
    }

    [Fact]
    public async Task CheckHealthAsync_still_throws_when_the_callers_own_token_is_cancelled()
    {
        using var silent = new SilentServer();
        var db = Postgres($"postgresql://app:secret@127.0.0.1:{silent.Port}/gateway?connect_timeout=60", TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.CheckHealthAsync(cancel.Token));
    }

    [Fact]
    public async Task CheckHealthAsync_on_a_sqlite_database_locked_by_another_process_answers_within_the_timeout()
    {
        var url = await _sqlite.CreateDatabaseAsync();
        await using (var migrator = _sqlite.CreateProvider(url))
        {
            await migrator.MigrateAsync();
        }

        // Another process holds the database exclusively; with a 30 s busy timeout the provider would wait 30 s.
        await using var holder = new SqliteConnection($"Data Source={url["sqlite:".Length..]};Pooling=False");
        await holder.OpenAsync();
        await using (var command = holder.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=DELETE; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT COUNT(*) FROM schema_migrations;";
            await command.ExecuteScalarAsync();
        }

        var db = _sqlite.CreateProvider(url, o => o.BusyTimeout = TimeSpan.FromSeconds(30));
        var started = Stopwatch.GetTimestamp();
        var health = await db.CheckHealthAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.False(health.IsHealthy);
        Assert.Equal("sqlite", health.Backend);
        Assert.True(elapsed < Bound, $"The health check took {elapsed}.");
    }

    [Fact]
    public async Task CheckHealthAsync_on_a_healthy_sqlite_database_reports_the_engine_and_schema_versions()
    {
        var url = await _sqlite.CreateDatabaseAsync();
        var db = _sqlite.CreateProvider(url);
        await db.MigrateAsync();

        var health = await db.CheckHealthAsync();

        Assert.True(health.IsHealthy, health.Error);
        Assert.NotNull(health.EngineVersion);
        Assert.True(health.SchemaVersion > 0);
    }

    private IDatabaseProvider Postgres(string url, TimeSpan? healthCheckTimeout = null)
    {
        var options = new GatewayStorageOptions { Url = url, StartupRetryTimeout = TimeSpan.FromSeconds(30) };
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });
        if (healthCheckTimeout is { } timeout)
        {
            options.HealthCheckTimeout = timeout;
        }

        var provider = new DatabaseProviderFactory([new PostgresBackend()]).Create(url, options);
        _providers.Add(provider);
        return provider;
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A TCP server that accepts every connection and never says a word.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];
        private readonly CancellationTokenSource _stop = new();

        public SilentServer()
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_accepted)
            {
                foreach (var socket in _accepted)
                {
                    socket.Dispose();
                }
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_accepted)
                    {
                        _accepted.Add(socket);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
