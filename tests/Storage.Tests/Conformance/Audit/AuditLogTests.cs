namespace GatewayStorage.Tests.Conformance.Audit;

public sealed class SqliteAuditLogTests(SqliteFixture fixture) : AuditLogConformance<SqliteFixture>(fixture);

public sealed class PostgresAuditLogTests(PostgresFixture fixture) : AuditLogConformance<PostgresFixture>(fixture);

public sealed class PgBouncerAuditLogTests(PgBouncerFixture fixture) : AuditLogConformance<PgBouncerFixture>(fixture);
