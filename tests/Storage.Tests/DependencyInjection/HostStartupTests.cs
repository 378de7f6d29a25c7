using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayStorage.Tests.DependencyInjection;

/// <summary>
/// With <c>AddGatewayStorage</c>, what can be checked without a request fails <c>host.StartAsync()</c>: configuration
/// problems as <see cref="StorageConfigurationException"/> (thrown as is, not wrapped), invalid option values as the
/// options' <see cref="OptionsValidationException"/>, a schema that cannot be used as <see cref="SchemaVersionException"/>.
/// </summary>
public sealed class HostStartupTests : IAsyncLifetime
{
    private const string Password = "hunter2-not-logged";

    private readonly SqliteFixture _sqlite = new();
    private readonly PostgresFixture _postgres = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_throws_StorageConfigurationException_for_a_scheme_whose_backend_is_not_registered()
    {
        using var host = Build(o => o.Url = $"postgresql://app:{Password}@localhost/gateway", postgres: false);

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => host.StartAsync());

        Assert.Contains("GatewayStorage.Postgres", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_throws_StorageConfigurationException_for_an_unknown_scheme()
    {
        using var host = Build(o => o.Url = $"mysql://app:{Password}@localhost/gateway");

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => host.StartAsync());

        Assert.Contains("'mysql'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_throws_StorageConfigurationException_for_a_malformed_postgres_url()
    {
        using var host = Build(o => o.Url = $"postgresql://app:{Password}@localhost:notaport/gateway");

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => host.StartAsync());

        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_throws_OptionsValidationException_for_an_option_value_out_of_range()
    {
        using var host = Build(o => o.HealthCheckTimeout = TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("HealthCheckTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_throws_StorageConfigurationException_for_postgres_without_an_encryption_key_and_leaves_the_database_untouched()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(GatewayStorageOptions.EncryptionKeyVariable)), "ENCRYPTION_KEY must not be set for this test.");
        var url = await _postgres.CreateDatabaseAsync();
        using var host = Build(o => o.Url = url, withKey: false);

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => host.StartAsync());

        Assert.Contains(GatewayStorageOptions.EncryptionKeyVariable, error.Message, StringComparison.Ordinal);
        await using var check = _postgres.CreateProvider(url);
        Assert.Equal(0, await check.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task StartAsync_throws_StorageConfigurationException_when_the_key_does_not_decrypt_the_stored_secrets()
    {
        var url = await _sqlite.CreateDatabaseAsync();
        await using (var writer = _sqlite.CreateProvider(url))
        {
            await writer.MigrateAsync();
            await writer.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
                "github", "client", "client-secret-value", new Uri("https://example.com/authorize"), new Uri("https://example.com/token")));
        }

        // Same key id, other bytes: the kind of mistake a redeploy with a regenerated secret makes.
        var otherKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        using var host = Build(o => o.Url = url, withKey: false, configure: o => o.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = otherKey }));

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => host.StartAsync());

        Assert.Contains("EncryptionKeys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(otherKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task With_auto_migrate_on_the_schema_is_current_right_after_StartAsync_without_any_store_call(string backend)
    {
        var fixture = Fixture(backend);
        var url = await fixture.CreateDatabaseAsync();
        using var host = Build(o => { o.Url = url; o.AutoMigrate = true; });

        await host.StartAsync();

        await using var check = fixture.CreateProvider(url);
        Assert.True(await check.GetSchemaVersionAsync() > 0);
        Assert.Equal("", await check.GetPendingMigrationSqlAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task With_auto_migrate_off_StartAsync_checks_the_schema_version_and_leaves_an_empty_database_unmigrated()
    {
        var url = await _postgres.CreateDatabaseAsync();
        using var host = Build(o => { o.Url = url; o.AutoMigrate = false; });

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => host.StartAsync());

        Assert.Contains("version 0", error.Message, StringComparison.Ordinal);
        await using var check = _postgres.CreateProvider(url);
        Assert.Equal(0, await check.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task With_auto_migrate_off_StartAsync_succeeds_on_a_current_schema()
    {
        var url = await _postgres.CreateDatabaseAsync();
        await using (var migrator = _postgres.CreateProvider(url))
        {
            await migrator.MigrateAsync();
        }

        using var host = Build(o => { o.Url = url; o.AutoMigrate = false; });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void AddGatewayStorage_called_twice_registers_the_start_up_check_once()
    {
        var services = new ServiceCollection();
        services.AddGatewayStorage(o => o.Url = "sqlite::memory:").AddSqlite();
        services.AddGatewayStorage().AddSqlite();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(GatewayStorageStartup));
    }

    private IStorageFixture Fixture(string backend) => backend == "sqlite" ? _sqlite : _postgres;

    private static IHost Build(Action<GatewayStorageOptions> options, bool postgres = true, bool withKey = true, Action<GatewayStorageOptions>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var storage = builder.Services.AddGatewayStorage(o =>
        {
            o.StartupRetryTimeout = TimeSpan.Zero;
            if (withKey)
            {
                o.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });
            }

            options(o);
            configure?.Invoke(o);
        }).AddSqlite();
        if (postgres)
        {
            storage.AddPostgres();
        }

        return builder.Build();
    }
}
