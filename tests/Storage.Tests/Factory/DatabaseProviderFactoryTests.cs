using Microsoft.Extensions.Logging;
using NSubstitute;

namespace GatewayStorage.Tests.Factory;

public sealed class DatabaseProviderFactoryTests
{
    private readonly IServiceProvider _services = Substitute.For<IServiceProvider>();
    private readonly IDatabaseBackend _sqlite = Backend("sqlite", "sqlite");
    private readonly IDatabaseBackend _postgres = Backend("postgres", "postgres", "postgresql");

    [Theory]
    [InlineData("sqlite:./data/test.db", "sqlite")]
    [InlineData("sqlite::memory:", "sqlite")]
    [InlineData("postgres://u:p@h/db", "postgres")]
    [InlineData("postgresql://u:p@h/db", "postgres")]
    public void GetBackend_picks_the_backend_that_serves_the_scheme(string url, string expected)
    {
        var factory = new DatabaseProviderFactory([_sqlite, _postgres], _services);

        Assert.Equal(expected, factory.GetBackend(url).Name);
    }

    [Theory]
    [InlineData("SQLite:./data/test.db", "sqlite")]
    [InlineData("PostgreSQL://u:p@h/db", "postgres")]
    [InlineData("POSTGRES://u:p@h/db", "postgres")]
    public void GetBackend_matches_the_scheme_case_insensitively(string url, string expected)
    {
        var factory = new DatabaseProviderFactory([_sqlite, _postgres], _services);

        Assert.Equal(expected, factory.GetBackend(url).Name);
    }

    [Fact]
    public void Create_hands_the_URL_options_and_services_to_the_chosen_backend()
    {
        var provider = Substitute.For<IDatabaseProvider>();
        var options = new GatewayStorageOptions();
        _postgres.Create("postgresql://u:p@h/db", options, _services).Returns(provider);
        var factory = new DatabaseProviderFactory([_sqlite, _postgres], _services);

        var created = factory.Create("postgresql://u:p@h/db", options);

        Assert.Same(provider, created);
        _sqlite.DidNotReceiveWithAnyArgs().Create(default!, default!, default!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_uses_the_embedded_SQLite_default_when_no_URL_is_given(string? url)
    {
        var provider = Substitute.For<IDatabaseProvider>();
        _sqlite.Create(GatewayStorageOptions.DefaultUrl, Arg.Any<GatewayStorageOptions>(), _services).Returns(provider);
        var factory = new DatabaseProviderFactory([_postgres, _sqlite], _services);

        var created = factory.Create(url);

        Assert.Same(provider, created);
        Assert.Equal("sqlite:./data/gateway.db", GatewayStorageOptions.DefaultUrl);
        _sqlite.Received(1).Create("sqlite:./data/gateway.db", Arg.Is<GatewayStorageOptions>(o => o != null), _services);
        _postgres.DidNotReceiveWithAnyArgs().Create(default!, default!, default!);
    }

    [Fact]
    public void Create_rejects_an_unknown_scheme_naming_it_and_the_supported_ones_without_the_password()
    {
        var factory = new DatabaseProviderFactory([_sqlite, _postgres], _services);

        var exception = Assert.Throws<StorageConfigurationException>(() => factory.Create("mysql://u:hunter2@h/db"));

        Assert.Contains("'mysql'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite", exception.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://u:hunter2@h/db", "'postgresql'")]
    [InlineData("postgres://u:hunter2@h/db", "'postgres'")]
    public void Create_names_the_package_to_add_when_the_backend_is_not_registered(string url, string scheme)
    {
        var factory = new DatabaseProviderFactory([_sqlite], _services);

        var exception = Assert.Throws<StorageConfigurationException>(() => factory.Create(url));

        Assert.Contains(scheme, exception.Message, StringComparison.Ordinal);
        Assert.Contains("GatewayStorage.Postgres", exception.Message, StringComparison.Ordinal);
        Assert.Contains(".AddPostgres()", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_names_the_SQLite_package_when_no_backend_is_registered_and_no_URL_is_given()
    {
        var factory = new DatabaseProviderFactory([], _services);

        var exception = Assert.Throws<StorageConfigurationException>(() => factory.Create(null));

        Assert.Contains("GatewayStorage.Sqlite", exception.Message, StringComparison.Ordinal);
        Assert.Contains(".AddSqlite()", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("./data/gateway.db")]
    [InlineData("/var/lib/app/gateway.db")]
    [InlineData(":hunter2@h/db")]
    public void Create_rejects_a_URL_without_a_scheme_with_a_clear_message(string url)
    {
        var factory = new DatabaseProviderFactory([_sqlite, _postgres], _services);

        var exception = Assert.Throws<StorageConfigurationException>(() => factory.Create(url));

        Assert.Contains("no scheme", exception.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite:", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_factory_built_without_dependency_injection_creates_a_working_provider_that_logs_and_uses_the_clock()
    {
        var logs = new GatewayStorage.Tests.Support.LogCapture();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        var time = new GatewayStorage.Tests.Support.FixedTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var factory = new DatabaseProviderFactory([new SqliteBackend()], loggerFactory, time);

        await using var db = factory.Create("sqlite::memory:");
        await db.InitializeAsync();
        var user = await db.CreateUserAsync(new NewUser("standalone@example.com", "Standalone"));

        Assert.Equal(time.GetUtcNow(), user.CreatedAt);
        Assert.Contains(logs.Lines, line => line.Contains("in-memory", StringComparison.Ordinal));
    }

    private static IDatabaseBackend Backend(string name, params string[] schemes)
    {
        var backend = Substitute.For<IDatabaseBackend>();
        backend.Name.Returns(name);
        backend.Schemes.Returns(schemes);
        return backend;
    }
}
