using System.Data.Common;
using Dapper;

namespace GatewayStorage.Tests.Conformance.Lifecycle;

public abstract class LifecycleConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    /// <summary>What the engine reports as its version: SQLite 3.x, PostgreSQL 10 and later.</summary>
    private string EngineVersionPattern => fixture.Backend switch
    {
        "sqlite" => @"^3\.\d+\.\d+",
        "postgres" => @"^1\d\.\d+",
        _ => throw new InvalidOperationException($"Unknown backend '{fixture.Backend}'."),
    };

    [Fact]
    public void BackendName_is_the_name_of_the_backend_the_provider_was_created_by()
    {
        Assert.Contains(fixture.Provider.BackendName, new[] { "sqlite", "postgres" });
        Assert.Equal(fixture.Backend, fixture.Provider.BackendName);
    }

    [Fact]
    public async Task CheckHealthAsync_is_healthy_with_the_engine_version_a_latency_and_the_schema_version()
    {
        var health = await fixture.Provider.CheckHealthAsync();

        Assert.True(health.IsHealthy, health.Error);
        Assert.Null(health.Error);
        Assert.Equal(fixture.Backend, health.Backend);
        Assert.Matches(EngineVersionPattern, health.EngineVersion);
        Assert.True(health.Latency > TimeSpan.Zero, $"latency {health.Latency}");
        Assert.True(health.Latency < TimeSpan.FromSeconds(30), $"latency {health.Latency}");
        Assert.Equal(await fixture.Provider.GetSchemaVersionAsync(), health.SchemaVersion);
        Assert.True(health.SchemaVersion >= 1);
    }

    [Fact]
    public async Task CountRowsAsync_counts_every_table_in_copy_order()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("count-1@example.org"));
        await db.CreateUserAsync(new NewUser("count-2@example.org"));
        await db.AppendAuditAsync(new NewAuditEntry("count.test", Actor: user.Email));

        var counts = await db.CountRowsAsync();

        Assert.Equal(GatewayStorage.Relational.PortableTables.All.Select(t => t.Name), counts.Select(c => c.Table));
        Assert.Equal(2, counts.Single(c => c.Table == "users").Rows);
        Assert.Equal(1, counts.Single(c => c.Table == "audit_log").Rows);
        Assert.Equal(0, counts.Single(c => c.Table == "credentials").Rows);
    }

    [Fact]
    public async Task CountRowsAsync_refuses_an_unmigrated_database_and_does_not_migrate_it()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = true);

        await Assert.ThrowsAsync<SchemaVersionException>(() => db.CountRowsAsync());

        Assert.Equal(0, await db.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task CheckHealthAsync_on_an_unmigrated_database_reports_schema_version_0_and_does_not_migrate_it()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = true);

        var health = await db.CheckHealthAsync();

        Assert.True(health.IsHealthy, health.Error);
        Assert.Equal(0, health.SchemaVersion);
        Assert.Equal(0, await db.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task An_engine_error_during_an_operation_comes_out_as_a_StorageException_wrapping_the_engine_exception()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        await using (var raw = await fixture.OpenRawConnectionAsync(url))
        {
            await raw.ExecuteAsync("DROP TABLE config_entries");
        }

        var error = await Assert.ThrowsAnyAsync<StorageException>(() => db.GetConfigAsync("missing.table"));

        Assert.IsAssignableFrom<DbException>(error.InnerException);
        Assert.Contains(fixture.Backend, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_disposed_provider_refuses_further_operations()
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url);
        await db.MigrateAsync();

        await db.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.GetUserAsync(Guid.NewGuid()));
    }
}
