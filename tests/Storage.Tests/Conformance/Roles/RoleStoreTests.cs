namespace GatewayStorage.Tests.Conformance.Roles;

public sealed class SqliteRoleStoreTests(SqliteFixture fixture) : RoleStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresRoleStoreTests(PostgresFixture fixture) : RoleStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerRoleStoreTests(PgBouncerFixture fixture) : RoleStoreConformance<PgBouncerFixture>(fixture);
