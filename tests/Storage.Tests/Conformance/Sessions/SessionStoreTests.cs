namespace GatewayStorage.Tests.Conformance.Sessions;

public sealed class SqliteSessionStoreTests(SqliteFixture fixture) : SessionStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresSessionStoreTests(PostgresFixture fixture) : SessionStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerSessionStoreTests(PgBouncerFixture fixture) : SessionStoreConformance<PgBouncerFixture>(fixture);
