using System.Data.Common;
using GatewayStorage.Tests.Infrastructure;
using Npgsql;

namespace GatewayStorage.Tests.Conformance;

/// <summary>
/// PostgreSQL through PgBouncer in transaction mode (<c>?pooler=transaction</c>): a database per test class on the
/// shared test server, reached through one throwaway PgBouncer in front of it.
/// </summary>
public sealed class PgBouncerFixture : StorageFixture
{
    public override string Backend => "postgres";

    public override async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgresServer.GetAsync();
        var bouncer = await PgBouncerServer.GetAsync();
        var direct = await server.CreateDatabaseAsync("gsb");
        return bouncer.UrlOf(GatewayStorage.Postgres.ConnectionUri.Parse(direct).Database!);
    }

    public override async Task<DbConnection> OpenRawConnectionAsync(string url)
    {
        // Through PgBouncer too, without what transaction pooling breaks (Npgsql's defaults prepare nothing).
        var settings = GatewayStorage.Postgres.PostgresConnectionStrings.FromUrl(url);
        settings.NoResetOnClose = true;
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override IDatabaseBackend CreateBackend() => new PostgresBackend();
}
