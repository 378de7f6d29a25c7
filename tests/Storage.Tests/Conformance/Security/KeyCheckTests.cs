namespace GatewayStorage.Tests.Conformance.Security;

public sealed class SqliteKeyCheckTests(SqliteFixture fixture) : KeyCheckConformance<SqliteFixture>(fixture);

public sealed class PostgresKeyCheckTests(PostgresFixture fixture) : KeyCheckConformance<PostgresFixture>(fixture);

public sealed class PgBouncerKeyCheckTests(PgBouncerFixture fixture) : KeyCheckConformance<PgBouncerFixture>(fixture);
