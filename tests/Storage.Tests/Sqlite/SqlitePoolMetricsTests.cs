using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Conformance.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace GatewayStorage.Tests.Sqlite;

[Collection(TelemetryCollection.Name)]
public sealed class SqlitePoolMetricsTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task The_pool_reports_its_idle_and_used_connections()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gs-pool-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = fixture.CreateProvider("sqlite:" + path))
            {
                await db.InitializeAsync();
                await db.CountUsersAsync(new UserQuery());
                using var collector = new MetricCollector<long>(null, GatewayStorageDiagnostics.MeterName, "db.client.connection.count");

                collector.RecordObservableInstruments();

                var mine = collector.GetMeasurementSnapshot()
                    .Where(m => ((string?)m.Tags["db.client.connection.pool.name"])?.EndsWith(Path.GetFileName(path), StringComparison.Ordinal) == true)
                    .ToDictionary(m => (string)m.Tags["db.client.connection.state"]!, m => m.Value);
                Assert.Equal(["idle", "used"], mine.Keys.Order());
                Assert.True(mine["idle"] >= 1);
                Assert.Equal(0, mine["used"]);
            }
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
