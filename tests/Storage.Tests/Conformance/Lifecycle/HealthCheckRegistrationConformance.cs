using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace GatewayStorage.Tests.Conformance.Lifecycle;

/// <summary><c>services.AddHealthChecks().AddGatewayStorage(name, failureStatus, tags, timeout)</c> on each backend.</summary>
public abstract class HealthCheckRegistrationConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    [Fact]
    public async Task AddGatewayStorage_registers_a_check_with_the_given_name_status_tags_and_timeout()
    {
        await using var services = Services(fixture.Url, autoMigrate: true, checks => checks.AddGatewayStorage(
            "storage", HealthStatus.Degraded, ["ready", "db"], TimeSpan.FromSeconds(7)));

        var registration = Assert.Single(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);

        Assert.Equal("storage", registration.Name);
        Assert.Equal(HealthStatus.Degraded, registration.FailureStatus);
        Assert.Equal(["db", "ready"], registration.Tags.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromSeconds(7), registration.Timeout);
        Assert.IsType<GatewayStorageHealthCheck>(registration.Factory(services));
    }

    [Fact]
    public async Task The_check_reports_backend_engine_version_schema_version_and_no_pending_migrations()
    {
        await using var services = Services(fixture.Url, autoMigrate: true, checks => checks.AddGatewayStorage(tags: ["ready"]));

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        var entry = report.Entries[GatewayStorageHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(fixture.Backend, entry.Data["backend"]);
        Assert.False(string.IsNullOrEmpty((string)entry.Data["engineVersion"]));
        Assert.Equal(await fixture.Provider.GetSchemaVersionAsync(), entry.Data["schemaVersion"]);
        Assert.Equal(0, entry.Data["pendingMigrations"]);
    }

    [Fact]
    public async Task An_unmigrated_database_reports_the_failure_status_and_every_script_pending()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var services = Services(url, autoMigrate: false, checks => checks.AddGatewayStorage(failureStatus: HealthStatus.Degraded));

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries[GatewayStorageHealthChecksBuilderExtensions.DefaultName];
        var backend = fixture.Backend == "sqlite" ? typeof(SqliteBackend) : typeof(PostgresBackend);
        var scripts = backend.Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(0, entry.Data["schemaVersion"]);
        Assert.Equal(scripts, entry.Data["pendingMigrations"]);
        Assert.Contains($"{scripts} migration(s) are pending", entry.Description, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(string url, bool autoMigrate, Action<IHealthChecksBuilder> addCheck)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddGatewayStorage(options =>
        {
            options.Url = url;
            options.AutoMigrate = autoMigrate;
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });
        }).AddSqlite().AddPostgres();
        addCheck(services.AddHealthChecks());
        return services.BuildServiceProvider();
    }
}
