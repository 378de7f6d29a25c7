using GatewayStorage.Postgres;
using GatewayStorage.Relational;
using GatewayStorage.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GatewayStorage.Tests.Urls;

/// <summary>
/// The scaling-out settings, <c>pooler</c> and <c>read_from</c>: from the URL or the options, and what each does to
/// the Npgsql data source the PostgreSQL backend builds (no server needed: building one connects to nothing).
/// </summary>
public sealed class PostgresScaleSettingsTests
{
    private readonly PostgresFixture _postgres = new();

    [Fact]
    public void Url_parameters_take_precedence_over_the_options()
    {
        var options = new GatewayStorageOptions { Pooler = ConnectionPooler.Transaction, ReadFrom = ReadFrom.Standby };

        var settings = PostgresScaleSettings.From(ConnectionUri.Parse("postgresql://h1,h2/db?pooler=none&read_from=primary"), options);

        Assert.Equal(new PostgresScaleSettings(ConnectionPooler.None, ReadFrom.Primary), settings);
    }

    [Fact]
    public void Without_url_parameters_the_options_apply()
    {
        var options = new GatewayStorageOptions { Pooler = ConnectionPooler.Transaction, ReadFrom = ReadFrom.Standby };

        var settings = PostgresScaleSettings.From(ConnectionUri.Parse("postgresql://h1,h2/db"), options);

        Assert.Equal(new PostgresScaleSettings(ConnectionPooler.Transaction, ReadFrom.Standby), settings);
    }

    [Theory]
    [InlineData("pooler=session", "pooler")]
    [InlineData("pooler=Transaction", "pooler")]
    [InlineData("read_from=replica", "read_from")]
    public void An_unknown_value_is_refused_naming_the_parameter_and_never_the_password(string parameter, string name)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => _postgres.CreateProvider($"postgresql://app:s3cret-pw@h1,h2/db?{parameter}"));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pooler_transaction_turns_off_automatic_preparation_and_the_default_keeps_it()
    {
        await using var bouncer = _postgres.CreateProvider("postgresql://app@localhost:6432/db?pooler=transaction");
        await using var direct = _postgres.CreateProvider("postgresql://app@localhost:5432/db");

        Assert.Equal(0, Settings(bouncer).MaxAutoPrepare);
        Assert.True(Settings(bouncer).NoResetOnClose);
        Assert.True(Settings(direct).MaxAutoPrepare > 0);
    }

    [Fact]
    public async Task Read_from_standby_builds_one_multi_host_data_source_whose_primary_side_targets_the_primary()
    {
        await using var db = _postgres.CreateProvider("postgresql://app@h1:5432,h2:5433/db?read_from=standby");
        var context = ((RelationalDatabaseProvider)db).Context;

        Assert.IsType<NpgsqlMultiHostDataSource>(context.DataSource);
        Assert.NotSame(context.DataSource, context.StandbyDataSource);
        Assert.Equal("primary", Settings(db).TargetSessionAttributes);
        Assert.Equal("prefer-standby", new NpgsqlConnectionStringBuilder(context.StandbyDataSource.ConnectionString).TargetSessionAttributes);
    }

    [Fact]
    public async Task Read_from_primary_reads_everything_where_it_writes()
    {
        await using var db = _postgres.CreateProvider("postgresql://app@h1:5432,h2:5433/db?target_session_attrs=read-write");
        var context = ((RelationalDatabaseProvider)db).Context;

        Assert.Same(context.DataSource, context.StandbyDataSource);
        Assert.Equal(1, Settings(db).HostRecheckSeconds);
    }

    [Fact]
    public void A_registered_data_source_that_prepares_statements_is_refused_behind_a_transaction_pooler()
    {
        var url = "postgresql://app@localhost:6432/db?pooler=transaction";
        using var services = new ServiceCollection()
            .AddSingleton(NpgsqlDataSource.Create("Host=localhost;Port=6432;Database=db;Max Auto Prepare=20"))
            .BuildServiceProvider();
        var options = new GatewayStorageOptions { Url = url };
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });

        var error = Assert.Throws<StorageConfigurationException>(() => new PostgresBackend(useRegisteredDataSource: true).Create(url, options, services));

        Assert.Contains("Max Auto Prepare=0", error.Message, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Settings(IDatabaseProvider provider) =>
        new(((RelationalDatabaseProvider)provider).Context.DataSource.ConnectionString);
}
