namespace GatewayStorage.Tests.Conformance.McpServers;

public sealed class SqliteMcpServerStoreTests(SqliteFixture fixture) : McpServerStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresMcpServerStoreTests(PostgresFixture fixture) : McpServerStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerMcpServerStoreTests(PgBouncerFixture fixture) : McpServerStoreConformance<PgBouncerFixture>(fixture);
