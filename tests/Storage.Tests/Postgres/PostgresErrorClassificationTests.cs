using System.Net.Sockets;
using GatewayStorage.Postgres;
using GatewayStorage.Relational;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Infrastructure;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// How PostgreSQL errors reach the caller: <see cref="StorageException.IsTransient"/> follows the engine, and errors a
/// retry cannot fix say their cause in words without the password.
/// </summary>
public sealed class PostgresErrorClassificationTests : IAsyncLifetime
{
    private readonly PostgresFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Theory]
    [InlineData("40001", "serialization failure")]
    [InlineData("40P01", "deadlock")]
    public void A_serialization_failure_or_deadlock_is_a_transient_StorageException(string sqlState, string words)
    {
        var error = Translate(new PostgresException("could not serialize access", "ERROR", "ERROR", sqlState));

        Assert.True(error.IsTransient);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.Contains(sqlState, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_host_answering_as_target_session_attrs_asks_is_transient_during_a_failover()
    {
        // What Npgsql's multi-host data source raises while no host is the primary yet, or when every host is down.
        var noPrimary = Translate(new NpgsqlException("No suitable host was found."));
        var allDown = Translate(new NpgsqlException(
            "Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(new NpgsqlException("Failed to connect to 127.0.0.1:1", new SocketException((int)SocketError.ConnectionRefused)))));

        Assert.IsType<StorageUnavailableException>(noPrimary);
        Assert.IsType<StorageUnavailableException>(allDown);
        Assert.True(noPrimary.IsTransient && allDown.IsTransient);
    }

    [Fact]
    public void A_lock_timeout_is_a_StorageUnavailableException()
    {
        var error = Translate(new PostgresException("canceling statement due to lock timeout", "ERROR", "ERROR", "55P03"));

        Assert.IsType<StorageUnavailableException>(error);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void A_refused_password_is_a_non_transient_configuration_error_that_names_the_user_in_words()
    {
        var error = Translate(new PostgresException("password authentication failed for user \"app\"", "FATAL", "FATAL", "28P01"));

        Assert.IsType<StorageConfigurationException>(error);
        Assert.False(error.IsTransient);
        Assert.Contains("the server refused the password for user 'app'", error.Message, StringComparison.Ordinal);
        Assert.Contains(GatewayStorageOptions.DatabaseUrlVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("role \"ghost\" does not exist", "role 'ghost' does not exist")]
    [InlineData("no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"gateway\", no encryption", "login by user 'app'")]
    public void A_refused_login_is_a_non_transient_configuration_error_in_words(string serverMessage, string words)
    {
        var error = Translate(new PostgresException(serverMessage, "FATAL", "FATAL", "28000"));

        Assert.IsType<StorageConfigurationException>(error);
        Assert.False(error.IsTransient);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_error_without_a_server_answer_follows_Npgsqls_IsTransient()
    {
        var network = Translate(new NpgsqlException("Exception while connecting", new SocketException((int)SocketError.ConnectionRefused)));
        var protocol = Translate(new NpgsqlException("Received unexpected backend message"));

        Assert.True(network.IsTransient);
        Assert.IsType<StorageUnavailableException>(network);
        Assert.False(protocol.IsTransient);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_fails_with_its_name_in_words_and_is_not_transient()
    {
        var url = await _fixture.CreateDatabaseAsync();
        var missing = "gs_missing_" + Guid.NewGuid().ToString("N")[..8];
        await using var db = _fixture.CreateProvider(url[..(url.LastIndexOf('/') + 1)] + missing);

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.MigrateAsync());

        Assert.False(error.IsTransient);
        Assert.Contains($"database '{missing}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sslmode_require_against_a_server_without_tls_fails_in_words_and_is_not_transient()
    {
        var url = await _fixture.CreateDatabaseAsync();
        await using var db = _fixture.CreateProvider(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "sslmode=require");

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.MigrateAsync());

        Assert.False(error.IsTransient);
        Assert.Contains("the server does not support TLS but sslmode=require was set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_deadlock_between_two_transactions_is_transient()
    {
        var url = await _fixture.CreateDatabaseAsync();
        var connectionString = PostgresConnectionStrings.FromUrl(url).ConnectionString;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE pair (id int PRIMARY KEY, v int); INSERT INTO pair VALUES (1, 0), (2, 0);", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var a = new NpgsqlConnection(connectionString);
        await using var b = new NpgsqlConnection(connectionString);
        await a.OpenAsync();
        await b.OpenAsync();
        await using var ta = await a.BeginTransactionAsync();
        await using var tb = await b.BeginTransactionAsync();
        await Execute(a, "UPDATE pair SET v = 1 WHERE id = 1");
        await Execute(b, "UPDATE pair SET v = 1 WHERE id = 2");

        // Each now waits for the row the other holds; the server aborts one of them.
        var results = await Task.WhenAll(
            Capture(() => Execute(a, "UPDATE pair SET v = 2 WHERE id = 2")),
            Capture(() => Execute(b, "UPDATE pair SET v = 2 WHERE id = 1")));

        var deadlock = Assert.Single(results, r => r is not null)!;
        var error = Translate(deadlock);
        Assert.Equal(PostgresErrorCodes.DeadlockDetected, Assert.IsType<PostgresException>(deadlock).SqlState);
        Assert.True(error.IsTransient);
        Assert.Contains("deadlock", error.Message, StringComparison.Ordinal);
    }

    private static StorageException Translate(Exception exception)
    {
        var classified = new PostgresDialect(TimeSpan.Zero, TimeProvider.System).Classify(exception);
        Assert.NotEqual(EngineErrorKind.None, classified.Kind);
        return StorageErrors.Translate(new PostgresDialect(TimeSpan.Zero, TimeProvider.System), classified, exception);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Exception?> Capture(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
    }
}
