using System.Data.Common;
using Dapper;
using GatewayStorage.Postgres;
using GatewayStorage.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// The PostgreSQL backend leaves pooling to Npgsql's <see cref="NpgsqlDataSource"/>: callers above the pool size queue
/// and are served, a host sharing the data source is never starved, and connections the server ended are not reused.
/// </summary>
public sealed class PostgresConnectionPoolTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private const string LibraryBackends =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'";

    [Fact]
    public async Task Three_times_the_pool_size_of_concurrent_callers_all_succeed_once_the_pool_frees_up()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, options => options.MaxPoolSize = 4);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("burst@example.org", "Burst", IsActive: true));
        await using var raw = await fixture.OpenRawConnectionAsync(url);

        // Every caller blocks on the lock holding a pooled connection, or waits inside Npgsql's pool for one.
        await using var transaction = await raw.BeginTransactionAsync();
        await raw.ExecuteAsync("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", transaction: transaction);
        var callers = Enumerable.Range(0, 12).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))).ToArray();
        await Task.Delay(500);
        Assert.DoesNotContain(callers, c => c.IsCompleted);
        await transaction.CommitAsync();

        var users = await Task.WhenAll(callers);

        Assert.All(users, u => Assert.Equal(user.Id, u?.Id));
    }

    [Fact]
    public async Task Sixty_four_concurrent_reads_and_writes_with_a_pool_of_four_all_succeed()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, options => options.MaxPoolSize = 4);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("mixed@example.org", "Mixed", IsActive: true));

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () => (i % 4) switch
        {
            0 => (await db.GetUserAsync(user.Id))?.Id == user.Id,
            1 => await db.RecordLoginAsync(user.Id),
            2 => (await db.CreateUserAsync(new NewUser($"mixed{i}@example.org", "Mixed", IsActive: true))).Id != Guid.Empty,
            _ => (await db.ListUsersAsync(UserQuery.All, PageRequest.First)).Items.Count >= 1,
        })));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task A_host_sharing_the_data_source_is_served_while_the_library_runs_a_burst()
    {
        var url = await fixture.CreateDatabaseAsync();
        var settings = PostgresConnectionStrings.FromUrl(url);
        settings.MaxPoolSize = 3;
        await using var dataSource = NpgsqlDataSource.Create(settings);
        await using var services = ServicesSharing(dataSource, url);
        var db = services.GetRequiredService<IDatabaseProvider>();
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("shared@example.org", "Shared", IsActive: true));

        var library = Enumerable.Range(0, 60).Select(_ => Task.Run(() => db.GetUserAsync(user.Id)));
        var host = Enumerable.Range(0, 60).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<int>("SELECT 1");
        }));

        await Task.WhenAll(Task.WhenAll(library), Task.WhenAll(host));
    }

    [Fact]
    public async Task Reads_after_the_server_ended_every_idle_connection_all_succeed_on_fresh_connections()
    {
        var (db, raw, user) = await CreateAsync();
        await using var _ = db;
        await using var __ = raw;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));
        await raw.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'");
        await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) == 0);

        var users = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));

        Assert.All(users, u => Assert.Equal(user.Id, u?.Id));
    }

    [Fact]
    public async Task A_write_on_a_connection_the_server_ended_fails_as_transient_and_later_writes_succeed()
    {
        var (db, raw, user) = await CreateAsync();
        await using var _ = db;
        await using var __ = raw;
        await raw.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'");
        await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) == 0);

        var error = await Record.ExceptionAsync(() => db.RecordLoginAsync(user.Id));

        // A write is never run twice; it either reached a fresh connection or failed as transient.
        Assert.True(error is null || error is StorageUnavailableException { IsTransient: true }, error?.ToString());
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await db.RecordLoginAsync(user.Id));
        }
    }

    [Fact]
    public async Task After_the_host_clears_the_shared_data_source_no_stale_connection_is_used()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(PostgresConnectionStrings.FromUrl(url));
        await using var services = ServicesSharing(dataSource, url);
        var db = services.GetRequiredService<IDatabaseProvider>();
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("clear@example.org", "Clear", IsActive: true));
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await raw.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

        dataSource.Clear();

        for (var i = 0; i < 6; i++)
        {
            Assert.True(await db.RecordLoginAsync(user.Id));
        }
    }

    [Fact]
    public async Task Disposing_the_provider_closes_its_server_connections()
    {
        var (db, raw, user) = await CreateAsync();
        await using var __ = raw;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.GetUserAsync(user.Id))));
        Assert.True(await raw.ExecuteScalarAsync<long>(LibraryBackends) >= 1);

        await db.DisposeAsync();

        await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) == 0);
    }

    /// <summary>A host whose GatewayStorage uses the host's own data source.</summary>
    private static ServiceProvider ServicesSharing(NpgsqlDataSource dataSource, string url) => new ServiceCollection()
        .AddSingleton(dataSource)
        .AddGatewayStorage(options =>
        {
            options.Url = url;
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });
        })
        .AddPostgres(useRegisteredDataSource: true)
        .Services.BuildServiceProvider();

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
