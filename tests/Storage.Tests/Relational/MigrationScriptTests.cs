using GatewayStorage.Relational;

namespace GatewayStorage.Tests.Relational;

public sealed class MigrationScriptTests
{
    private static IReadOnlyList<MigrationScript> Sqlite() =>
        MigrationScript.LoadEmbedded(typeof(SqliteBackend).Assembly, "GatewayStorage.Sqlite.Migrations.");

    private static IReadOnlyList<MigrationScript> Postgres() =>
        MigrationScript.LoadEmbedded(typeof(PostgresBackend).Assembly, "GatewayStorage.Postgres.Migrations.");

    [Fact]
    public void Both_backends_embed_the_same_migration_versions_in_ascending_order()
    {
        var sqlite = Sqlite().Select(s => (s.Version, s.Name)).ToList();
        var postgres = Postgres().Select(s => (s.Version, s.Name)).ToList();

        Assert.Equal(sqlite, postgres);
        Assert.Equal(sqlite.OrderBy(s => s.Version).Select(s => s.Version).Distinct(), sqlite.Select(s => s.Version));
    }

    [Fact]
    public void The_json_text_migration_is_version_4_on_both_backends_and_changes_only_postgres_columns()
    {
        var sqlite = Assert.Single(Sqlite(), s => s.Version == 4);
        var postgres = Assert.Single(Postgres(), s => s.Version == 4);

        Assert.Equal("json_text", sqlite.Name);
        Assert.DoesNotContain("ALTER", sqlite.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("ALTER COLUMN value TYPE json", postgres.Sql, StringComparison.Ordinal);
        Assert.Contains("ALTER COLUMN details TYPE json", postgres.Sql, StringComparison.Ordinal);
    }
}
