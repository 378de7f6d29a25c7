namespace GatewayStorage.Tests.Conformance.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class SqliteTelemetryTests(SqliteFixture fixture) : TelemetryConformance<SqliteFixture>(fixture);

[Collection(TelemetryCollection.Name)]
public sealed class PostgresTelemetryTests(PostgresFixture fixture) : TelemetryConformance<PostgresFixture>(fixture);
