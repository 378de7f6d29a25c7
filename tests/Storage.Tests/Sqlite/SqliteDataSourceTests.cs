using GatewayStorage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Tests.Sqlite;

/// <summary>The SQLite data source: bounded waits, connections kept with their prepared commands, no stale values.</summary>
public sealed class SqliteDataSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gs-datasource-").FullName;

    [Fact]
    public async Task A_caller_waits_at_most_the_busy_timeout_for_a_free_connection_then_gets_a_transient_error()
    {
        await using var source = Create(maxSize: 1, busyTimeout: TimeSpan.FromMilliseconds(200));
        await using var held = await source.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(async () => await source.OpenConnectionAsync());

        Assert.True(error.IsTransient);
        Assert.Contains("busy timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_caller_gets_the_connection_another_caller_disposes()
    {
        await using var source = Create(maxSize: 1, busyTimeout: TimeSpan.FromSeconds(10));
        var first = await source.OpenConnectionAsync();
        var waiting = source.OpenConnectionAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        await first.DisposeAsync();
        await using var second = await waiting;

        Assert.Same(first, second);
        Assert.Equal(System.Data.ConnectionState.Open, second.State);
    }

    [Fact]
    public async Task A_cached_command_run_again_without_its_parameter_fails_instead_of_reusing_the_last_value()
    {
        await using var source = Create(maxSize: 1, busyTimeout: TimeSpan.FromSeconds(1));
        var dialect = SqliteDialect.Instance;
        await using var connection = await source.OpenConnectionAsync();
        var command = dialect.CreateCommand(connection, "SELECT @value");
        dialect.AddInt64(command, "value", 42);
        Assert.Equal(42L, await command.ExecuteScalarAsync());
        await dialect.ReleaseCommandAsync(command);

        var again = dialect.CreateCommand(connection, "SELECT @value");

        Assert.Same(command, again);
        await Assert.ThrowsAsync<InvalidOperationException>(() => again.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Disposing_the_data_source_closes_its_idle_connections_and_refuses_new_ones()
    {
        var source = Create(maxSize: 2, busyTimeout: TimeSpan.FromSeconds(1));
        var connection = await source.OpenConnectionAsync();
        await connection.DisposeAsync();
        Assert.Equal(1, source.IdleCount);

        await source.DisposeAsync();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.OpenConnectionAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteDataSource Create(int maxSize, TimeSpan busyTimeout) =>
        new(Path.Combine(_folder, "test.db"), maxSize, busyTimeout, TimeSpan.FromSeconds(30));
}
