namespace GatewayStorage.Tests.Conformance.Cancellation;

public sealed class SqliteCancellationTests(SqliteFixture fixture) : CancellationConformance<SqliteFixture>(fixture);

public sealed class PostgresCancellationTests(PostgresFixture fixture) : CancellationConformance<PostgresFixture>(fixture);

public sealed class PgBouncerCancellationTests(PgBouncerFixture fixture) : CancellationConformance<PgBouncerFixture>(fixture);
