namespace GatewayStorage.Tests.Conformance.Credentials;

public sealed class SqliteCredentialStoreTests(SqliteFixture fixture) : CredentialStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresCredentialStoreTests(PostgresFixture fixture) : CredentialStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerCredentialStoreTests(PgBouncerFixture fixture) : CredentialStoreConformance<PgBouncerFixture>(fixture);
