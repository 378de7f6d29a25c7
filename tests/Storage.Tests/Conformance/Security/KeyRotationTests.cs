namespace GatewayStorage.Tests.Conformance.Security;

public sealed class SqliteKeyRotationTests(SqliteFixture fixture) : KeyRotationConformance<SqliteFixture>(fixture);

public sealed class PostgresKeyRotationTests(PostgresFixture fixture) : KeyRotationConformance<PostgresFixture>(fixture);

public sealed class PgBouncerKeyRotationTests(PgBouncerFixture fixture) : KeyRotationConformance<PgBouncerFixture>(fixture);
