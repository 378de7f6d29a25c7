using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace GatewayStorage.Tests.DependencyInjection;

public sealed class AddGatewayStorageTests
{
    // A valid key in configuration, so that an ENCRYPTION_KEY in the test process's environment plays no part.
    private const string ValidKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly IDatabaseBackend _backend = Substitute.For<IDatabaseBackend>();
    private readonly IDatabaseProvider _provider = Substitute.For<IDatabaseProvider>();

    public AddGatewayStorageTests()
    {
        _backend.Name.Returns("fake");
        _backend.Schemes.Returns(["sqlite", "postgres", "postgresql"]);
        _backend.Create(Arg.Any<string>(), Arg.Any<GatewayStorageOptions>(), Arg.Any<IServiceProvider>()).Returns(_provider);
    }

    [Fact]
    public void AddGatewayStorage_resolves_the_provider_and_every_focused_interface_to_one_instance()
    {
        using var services = Build(Configuration(("GatewayStorage:Url", "sqlite::memory:")));

        var provider = services.GetRequiredService<IDatabaseProvider>();

        Assert.Same(_provider, provider);
        Assert.Same(provider, services.GetRequiredService<IUserStore>());
        Assert.Same(provider, services.GetRequiredService<IRoleStore>());
        Assert.Same(provider, services.GetRequiredService<IDirectoryMappingStore>());
        Assert.Same(provider, services.GetRequiredService<IOAuthProviderStore>());
        Assert.Same(provider, services.GetRequiredService<IOAuthTokenStore>());
        Assert.Same(provider, services.GetRequiredService<IApiKeyStore>());
        Assert.Same(provider, services.GetRequiredService<IConfigStore>());
        Assert.Same(provider, services.GetRequiredService<IMcpServerStore>());
        Assert.Same(provider, services.GetRequiredService<ICredentialStore>());
        Assert.Same(provider, services.GetRequiredService<ISessionStore>());
        Assert.Same(provider, services.GetRequiredService<IAuditLog>());
        Assert.Same(provider, services.GetRequiredService<IDatabaseLifecycle>());
        Assert.Same(provider, services.GetRequiredService<IDataStreams>());
        Assert.Same(provider, services.GetRequiredService<IDatabaseProvider>());
        _backend.ReceivedWithAnyArgs(1).Create(default!, default!, default!);
    }

    [Fact]
    public void AddGatewayStorage_binds_options_from_the_GatewayStorage_section()
    {
        using var services = Build(Configuration(
            ("GatewayStorage:Url", "postgresql://app:secret@db:5432/gateway"),
            ("GatewayStorage:CommandTimeout", "00:00:45"),
            ("GatewayStorage:MaxPoolSize", "20"),
            ("GatewayStorage:ApiKeyPrefix", "abc"),
            ("DATABASE_URL", "sqlite:./ignored.db")));

        var options = services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value;
        services.GetRequiredService<IDatabaseProvider>();

        Assert.Equal("postgresql://app:secret@db:5432/gateway", options.Url);
        Assert.Equal(TimeSpan.FromSeconds(45), options.CommandTimeout);
        Assert.Equal(20, options.MaxPoolSize);
        Assert.Equal("abc", options.ApiKeyPrefix);
        Assert.Equal(ValidKey, Assert.Single(options.EncryptionKeys).Key);
        _backend.Received(1).Create("postgresql://app:secret@db:5432/gateway", options, Arg.Any<IServiceProvider>());
    }

    [Fact]
    public void AddGatewayStorage_falls_back_to_DATABASE_URL_in_configuration()
    {
        using var services = Build(Configuration(("DATABASE_URL", "postgres://app:secret@db/gateway")));

        var options = services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value;
        services.GetRequiredService<IDatabaseProvider>();

        Assert.Equal("postgres://app:secret@db/gateway", options.Url);
        _backend.Received(1).Create("postgres://app:secret@db/gateway", Arg.Any<GatewayStorageOptions>(), Arg.Any<IServiceProvider>());
    }

    [Fact]
    public void AddGatewayStorage_falls_back_to_the_default_URL_when_nothing_is_configured()
    {
        // The DATABASE_URL environment variable comes before the default; the test tolerates one being set.
        var environment = Environment.GetEnvironmentVariable(GatewayStorageOptions.DatabaseUrlVariable);
        var expected = string.IsNullOrWhiteSpace(environment) ? "sqlite:./data/gateway.db" : environment;
        using var services = Build(Configuration());

        var options = services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value;

        Assert.Equal(expected, options.Url);
    }

    [Fact]
    public void AddGatewayStorage_with_options_in_code_uses_them()
    {
        var collection = new ServiceCollection();
        collection.TryAddEnumerable(ServiceDescriptor.Singleton(_backend));
        collection.AddGatewayStorage(options =>
        {
            options.Url = "sqlite::memory:";
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "k1", Key = ValidKey });
        });
        using var services = collection.BuildServiceProvider();

        Assert.Same(_provider, services.GetRequiredService<IApiKeyStore>());
        _backend.Received(1).Create("sqlite::memory:", Arg.Any<GatewayStorageOptions>(), Arg.Any<IServiceProvider>());
    }

    [Fact]
    public void AddGatewayStorage_called_twice_registers_the_provider_once()
    {
        var configuration = Configuration(("GatewayStorage:Url", "sqlite::memory:"));
        var collection = new ServiceCollection();
        collection.TryAddEnumerable(ServiceDescriptor.Singleton(_backend));
        collection.AddKeyedSingleton("other", new object());

        collection.AddGatewayStorage(configuration);
        collection.AddGatewayStorage(configuration);

        Assert.Single(collection, d => d.ServiceType == typeof(IDatabaseProvider));
        Assert.Single(collection, d => d.ServiceType == typeof(IApiKeyStore));
        Assert.Single(collection, d => d.ServiceType == typeof(DatabaseProviderFactory));
        Assert.Single(collection, d => d.ServiceType == typeof(IValidateOptions<GatewayStorageOptions>));
        using var services = collection.BuildServiceProvider();
        Assert.Same(services.GetRequiredService<IDatabaseProvider>(), services.GetRequiredService<IUserStore>());
        Assert.Single(services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value.EncryptionKeys);
        _backend.ReceivedWithAnyArgs(1).Create(default!, default!, default!);
    }

    [Fact]
    public void AddGatewayStorage_returns_a_builder_over_the_same_services()
    {
        var collection = new ServiceCollection();

        var builder = collection.AddGatewayStorage(Configuration());

        Assert.Same(collection, builder.Services);
    }

    [Fact]
    public void Invalid_command_timeout_fails_validation_naming_the_setting()
    {
        using var services = Build(Configuration(
            ("GatewayStorage:Url", "sqlite::memory:"),
            ("GatewayStorage:CommandTimeout", "00:00:00")));

        var exception = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value);

        Assert.Contains("GatewayStorage:CommandTimeout", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_encryption_key_fails_validation_naming_the_setting_without_the_key()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GatewayStorage:Url"] = "sqlite::memory:",
                ["GatewayStorage:EncryptionKeys:0:Id"] = "k1",
                ["GatewayStorage:EncryptionKeys:0:Key"] = "bm90LTMyLWJ5dGVz-hunter2",
            })
            .Build();
        using var services = Build(configuration);

        var exception = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value);

        Assert.Contains("GatewayStorage:EncryptionKeys:0:Key", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_ENCRYPTION_KEY_fails_validation_naming_ENCRYPTION_KEY_not_the_option_it_was_copied_to()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GatewayStorage:Url"] = "sqlite::memory:",
                ["ENCRYPTION_KEY"] = "bm90LTMyLWJ5dGVz-hunter2",
            })
            .Build();
        using var services = Build(configuration);

        var exception = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value);

        Assert.Contains("ENCRYPTION_KEY must be base64 of exactly 32 bytes", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EncryptionKeys:0", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_key_copied_from_ENCRYPTION_KEY_is_named_ENCRYPTION_KEY_when_the_ring_is_built()
    {
        var options = new GatewayStorageOptions();
        options.EncryptionKeys.Add(new EncryptionKeyOptions
        {
            Id = "env",
            Key = "bm90LTMyLWJ5dGVz-hunter2",
            Source = GatewayStorageOptions.EncryptionKeyVariable,
        });

        var exception = Assert.Throws<StorageConfigurationException>(() => GatewayStorage.Security.EncryptionKeyRing.FromOptions(options));

        Assert.StartsWith("ENCRYPTION_KEY ", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EncryptionKeys:0", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_also_fail_resolving_the_provider()
    {
        using var services = Build(Configuration(
            ("GatewayStorage:Url", "sqlite::memory:"),
            ("GatewayStorage:PruneBatchSize", "0")));

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IDatabaseProvider>());

        Assert.Contains("GatewayStorage:PruneBatchSize", exception.Message, StringComparison.Ordinal);
        _backend.DidNotReceiveWithAnyArgs().Create(default!, default!, default!);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void A_stream_batch_size_outside_1_to_100000_fails_validation_naming_the_setting(string value)
    {
        using var services = Build(Configuration(
            ("GatewayStorage:Url", "sqlite::memory:"),
            ("GatewayStorage:StreamBatchSize", value)));

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IDatabaseProvider>());

        Assert.Contains("GatewayStorage:StreamBatchSize", exception.Message, StringComparison.Ordinal);
        _backend.DidNotReceiveWithAnyArgs().Create(default!, default!, default!);
    }

    [Theory]
    [InlineData("GatewayStorage:Pooler", "7")]
    [InlineData("GatewayStorage:ReadFrom", "9")]
    public void An_undefined_pooler_or_read_from_value_fails_validation_naming_the_setting(string key, string value)
    {
        using var services = Build(Configuration(("GatewayStorage:Url", "sqlite::memory:"), (key, value)));

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IDatabaseProvider>());

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
        _backend.DidNotReceiveWithAnyArgs().Create(default!, default!, default!);
    }

    private ServiceProvider Build(IConfiguration configuration)
    {
        var collection = new ServiceCollection();
        collection.TryAddEnumerable(ServiceDescriptor.Singleton(_backend));
        collection.AddGatewayStorage(configuration);
        return collection.BuildServiceProvider();
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["GatewayStorage:EncryptionKeys:0:Id"] = "k1",
            ["GatewayStorage:EncryptionKeys:0:Key"] = ValidKey,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
