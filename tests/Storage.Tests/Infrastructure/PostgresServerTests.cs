using Npgsql;

namespace GatewayStorage.Tests.Infrastructure;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Server_answers_select_version_and_reports_PostgreSQL()
    {
        var server = await PostgresServer.GetAsync();

        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();

        Assert.NotNull(version);
        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
        Assert.Contains(server.ServerVersion, version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_returns_one_instance_for_the_whole_process()
    {
        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(PostgresServer.GetAsync)));

        Assert.All(all, s => Assert.Same(all[0], s));
    }

    [Fact]
    public async Task CreateDatabaseAsync_returns_distinct_usable_databases()
    {
        var server = await PostgresServer.GetAsync();

        var first = await server.CreateDatabaseAsync("Infra-Test");
        var second = await server.CreateDatabaseAsync("Infra-Test");

        Assert.NotEqual(first, second);
        Assert.StartsWith("postgresql://", first, StringComparison.Ordinal);
        var firstName = await UseAsync(first, "first");
        var secondName = await UseAsync(second, "second");
        Assert.NotEqual(firstName, secondName);
        Assert.StartsWith("infra_test_", firstName, StringComparison.Ordinal);

        // Each database holds only what was written to it.
        Assert.Equal(["first"], await ReadAsync(first));
        Assert.Equal(["second"], await ReadAsync(second));
    }

    /// <summary>Creates a table in the database and writes one row; returns current_database().</summary>
    private static async Task<string> UseAsync(string url, string value)
    {
        await using var connection = new NpgsqlConnection(ToConnectionString(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "CREATE TABLE marker (value text NOT NULL); INSERT INTO marker VALUES (@v); SELECT current_database();",
            connection);
        command.Parameters.AddWithValue("v", value);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ReadAsync(string url)
    {
        await using var connection = new NpgsqlConnection(ToConnectionString(url));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM marker ORDER BY value", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Turns the fixture's postgresql://user[:password]@host:port/db URL into an Npgsql connection string.</summary>
    private static string ToConnectionString(string url)
    {
        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Database = uri.AbsolutePath.TrimStart('/'),
        };
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            var mode = uri.Query.TrimStart('?').Split('=', 2)[1].Replace("-", "", StringComparison.Ordinal);
            builder.SslMode = Enum.Parse<SslMode>(mode, ignoreCase: true);
        }

        return builder.ConnectionString;
    }
}
