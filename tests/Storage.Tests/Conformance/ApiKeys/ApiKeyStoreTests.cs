namespace GatewayStorage.Tests.Conformance.ApiKeys;

public sealed class SqliteApiKeyStoreTests(SqliteFixture fixture) : ApiKeyStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresApiKeyStoreTests(PostgresFixture fixture) : ApiKeyStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerApiKeyStoreTests(PgBouncerFixture fixture) : ApiKeyStoreConformance<PgBouncerFixture>(fixture);
