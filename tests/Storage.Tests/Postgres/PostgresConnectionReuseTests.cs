using System.Data.Common;
using Dapper;
using GatewayStorage.Postgres;
using GatewayStorage.Tests.Conformance;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// How the PostgreSQL backend keeps server connections between operations: most recently used first, within the
/// connection string's pool settings, and never reusing a connection the server has ended.
/// </summary>
public sealed class PostgresConnectionReuseTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private const string LibraryBackends =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'";

    [Fact]
    public async Task After_a_burst_of_concurrent_operations_one_callers_operations_all_run_on_one_server_connection()
    {
        var (db, raw, user) = await CreateAsync();
        await using var _ = db;
        await using var __ = raw;
        var backends = 0L;
        for (var attempt = 0; attempt < 50 && backends < 3; attempt++)
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));
            backends = await raw.ExecuteScalarAsync<long>(LibraryBackends);
        }

        Assert.True(backends >= 3, $"the burst opened only {backends} connection(s)");
        var before = await raw.ExecuteScalarAsync<DateTime>("SELECT clock_timestamp()");

        for (var i = 0; i < 40; i++)
        {
            Assert.NotNull(await db.GetUserAsync(user.Id));
        }

        var used = await raw.ExecuteScalarAsync<long>(LibraryBackends + " AND state_change > @before", new { before });
        Assert.Equal(1, used);
    }

    [Fact]
    public async Task A_connection_the_server_ended_while_idle_fails_one_operation_as_transient_and_is_not_used_again()
    {
        var (db, raw, user) = await CreateAsync();
        await using var _ = db;
        await using var __ = raw;
        await raw.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'");
        await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) == 0);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.GetUserAsync(user.Id));

        Assert.True(error.IsTransient);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(user.Id, (await db.GetUserAsync(user.Id))?.Id);
        }
    }

    [Fact]
    public async Task Disposing_the_provider_closes_its_idle_server_connections()
    {
        var (db, raw, user) = await CreateAsync();
        await using var __ = raw;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));
        Assert.True(await raw.ExecuteScalarAsync<long>(LibraryBackends) >= 1);

        await db.DisposeAsync();

        await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) == 0);
    }

    [Fact]
    public async Task Idle_connections_go_back_to_Npgsql_after_the_connection_idle_lifetime()
    {
        var url = await fixture.CreateDatabaseAsync();
        var settings = PostgresConnectionStrings.FromUrl(url);
        settings.ConnectionIdleLifetime = 1;
        settings.ConnectionPruningInterval = 1;
        await using var source = new PostgresConnectionSource(NpgsqlDataSource.Create(settings), ownsDataSource: true, TimeSpan.Zero);
        var first = await source.RentAsync(CancellationToken.None);
        var second = await source.RentAsync(CancellationToken.None);
        await source.ReturnAsync(first);
        await source.ReturnAsync(second);
        Assert.Equal(2, source.IdleCount);

        await WaitUntilAsync(() => Task.FromResult(source.IdleCount == 0));
    }

    [Fact]
    public async Task A_connection_older_than_the_connection_lifetime_goes_back_to_Npgsql_when_it_is_returned()
    {
        var url = await fixture.CreateDatabaseAsync();
        var settings = PostgresConnectionStrings.FromUrl(url);
        settings.ConnectionLifetime = 1;
        await using var source = new PostgresConnectionSource(NpgsqlDataSource.Create(settings), ownsDataSource: true, TimeSpan.Zero);
        var young = await source.RentAsync(CancellationToken.None);
        await source.ReturnAsync(young);
        Assert.Equal(1, source.IdleCount);
        var old = await source.RentAsync(CancellationToken.None);
        Assert.Same(young, old);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await source.ReturnAsync(old);

        Assert.Equal(0, source.IdleCount);
        Assert.Equal(System.Data.ConnectionState.Closed, old.State);
    }

    private async Task<(IDatabaseProvider Db, DbConnection Raw, User User)> CreateAsync()
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("reuse@example.org", "Reuse", IsActive: true));
        return (db, await fixture.OpenRawConnectionAsync(url), user);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 seconds");
            await Task.Delay(100);
        }
    }
}
