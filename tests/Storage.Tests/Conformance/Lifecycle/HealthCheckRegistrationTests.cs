namespace GatewayStorage.Tests.Conformance.Lifecycle;

public sealed class SqliteHealthCheckRegistrationTests(SqliteFixture fixture) : HealthCheckRegistrationConformance<SqliteFixture>(fixture);

public sealed class PostgresHealthCheckRegistrationTests(PostgresFixture fixture) : HealthCheckRegistrationConformance<PostgresFixture>(fixture);

public sealed class PgBouncerHealthCheckRegistrationTests(PgBouncerFixture fixture) : HealthCheckRegistrationConformance<PgBouncerFixture>(fixture);
