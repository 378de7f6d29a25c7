namespace GatewayStorage.Tests.Conformance.Users;

public sealed class SqliteUserStoreTests(SqliteFixture fixture) : UserStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresUserStoreTests(PostgresFixture fixture) : UserStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerUserStoreTests(PgBouncerFixture fixture) : UserStoreConformance<PgBouncerFixture>(fixture);
