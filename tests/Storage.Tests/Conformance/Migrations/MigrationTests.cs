namespace GatewayStorage.Tests.Conformance.Migrations;

public sealed class SqliteMigrationTests(SqliteFixture fixture) : MigrationConformance<SqliteFixture>(fixture);

public sealed class PostgresMigrationTests(PostgresFixture fixture) : MigrationConformance<PostgresFixture>(fixture);
