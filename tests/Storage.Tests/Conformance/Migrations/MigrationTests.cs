namespace GatewayStorage.Tests.Conformance.Migrations;

public sealed class SqliteMigrationTests(SqliteFixture fixture) : MigrationConformance<SqliteFixture>(fixture);

public sealed class PostgresMigrationTests(PostgresFixture fixture) : MigrationConformance<PostgresFixture>(fixture);

public sealed class PgBouncerMigrationTests(PgBouncerFixture fixture) : MigrationConformance<PgBouncerFixture>(fixture);
