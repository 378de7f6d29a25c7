using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.AspNetCore;

public sealed class SqliteGatewayApiTests(SqliteFixture fixture) : GatewayApiConformance<SqliteFixture>(fixture);

public sealed class PostgresGatewayApiTests(PostgresFixture fixture) : GatewayApiConformance<PostgresFixture>(fixture);

public sealed class PgBouncerGatewayApiTests(PgBouncerFixture fixture) : GatewayApiConformance<PgBouncerFixture>(fixture);
