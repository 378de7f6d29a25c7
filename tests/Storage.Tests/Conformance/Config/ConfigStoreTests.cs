namespace GatewayStorage.Tests.Conformance.Config;

public sealed class SqliteConfigStoreTests(SqliteFixture fixture) : ConfigStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresConfigStoreTests(PostgresFixture fixture) : ConfigStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerConfigStoreTests(PgBouncerFixture fixture) : ConfigStoreConformance<PgBouncerFixture>(fixture);
