using System.Data.Common;
using GatewayStorage.Tests.Infrastructure;
using Npgsql;

namespace GatewayStorage.Tests.Conformance;

/// <summary>PostgreSQL under test: a database per test class (and per fresh database) on the shared test server.</summary>
public sealed class PostgresFixture : StorageFixture
{
    public override string Backend => "postgres";

    public override async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        return await server.CreateDatabaseAsync("gs");
    }

    public override async Task<DbConnection> OpenRawConnectionAsync(string url)
    {
        var connection = new NpgsqlConnection(GatewayStorage.Postgres.PostgresConnectionStrings.FromUrl(url).ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override IDatabaseBackend CreateBackend() => new PostgresBackend();
}
