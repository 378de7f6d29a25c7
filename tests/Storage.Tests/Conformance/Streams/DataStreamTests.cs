namespace GatewayStorage.Tests.Conformance.Streams;

public sealed class SqliteDataStreamTests(SqliteFixture fixture) : DataStreamConformance<SqliteFixture>(fixture);

public sealed class PostgresDataStreamTests(PostgresFixture fixture) : DataStreamConformance<PostgresFixture>(fixture);

public sealed class PgBouncerDataStreamTests(PgBouncerFixture fixture) : DataStreamConformance<PgBouncerFixture>(fixture);
