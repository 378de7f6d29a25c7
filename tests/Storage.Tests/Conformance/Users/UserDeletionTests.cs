namespace GatewayStorage.Tests.Conformance.Users;

public sealed class SqliteUserDeletionTests(SqliteFixture fixture) : UserDeletionConformance<SqliteFixture>(fixture);

public sealed class PostgresUserDeletionTests(PostgresFixture fixture) : UserDeletionConformance<PostgresFixture>(fixture);

public sealed class PgBouncerUserDeletionTests(PgBouncerFixture fixture) : UserDeletionConformance<PgBouncerFixture>(fixture);
