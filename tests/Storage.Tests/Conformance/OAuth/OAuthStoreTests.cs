namespace GatewayStorage.Tests.Conformance.OAuth;

public sealed class SqliteOAuthProviderStoreTests(SqliteFixture fixture) : OAuthProviderStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresOAuthProviderStoreTests(PostgresFixture fixture) : OAuthProviderStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerOAuthProviderStoreTests(PgBouncerFixture fixture) : OAuthProviderStoreConformance<PgBouncerFixture>(fixture);

public sealed class SqliteOAuthTokenStoreTests(SqliteFixture fixture) : OAuthTokenStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresOAuthTokenStoreTests(PostgresFixture fixture) : OAuthTokenStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerOAuthTokenStoreTests(PgBouncerFixture fixture) : OAuthTokenStoreConformance<PgBouncerFixture>(fixture);

public sealed class SqliteEncryptionAtRestTests(SqliteFixture fixture) : EncryptionAtRestConformance<SqliteFixture>(fixture);

public sealed class PostgresEncryptionAtRestTests(PostgresFixture fixture) : EncryptionAtRestConformance<PostgresFixture>(fixture);

public sealed class PgBouncerEncryptionAtRestTests(PgBouncerFixture fixture) : EncryptionAtRestConformance<PgBouncerFixture>(fixture);
