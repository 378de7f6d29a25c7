using System.Diagnostics;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Conformance.Telemetry;
using GatewayStorage.Tests.Support;
using GatewayStorage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// On PostgreSQL, Npgsql's own telemetry joins ours: its command spans (Npgsql.OpenTelemetry's <c>AddNpgsql()</c>)
/// nest under the store operation's span, and its logs go to the host's logging.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class NpgsqlTelemetryTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Npgsql_command_spans_nest_under_the_store_operation_span_in_the_OpenTelemetry_SDK()
    {
        var exported = new List<Activity>();
        // Always on: the test's root span is not one the SDK sampled, and the default sampler follows the parent.
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOnSampler())
            .AddSource(GatewayStorageDiagnostics.ActivitySourceName)
            .AddNpgsql()
            .AddInMemoryExporter(exported)
            .Build())
        {
            var user = await fixture.Provider.CreateUserAsync(new NewUser(Unique.Email()));
            using var root = new Activity("test").Start();

            await fixture.Provider.GetUserAsync(user.Id);
            root.Stop();
            tracing.ForceFlush();
            var mine = exported.Where(a => a.TraceId == root.TraceId).ToList();

            var operation = Assert.Single(mine, a => a.Source.Name == GatewayStorageDiagnostics.ActivitySourceName);
            Assert.Equal("GetUser users", operation.DisplayName);
            Assert.Equal(root.SpanId, operation.ParentSpanId);
            var command = Assert.Single(mine, a => a.Source.Name == "Npgsql");
            Assert.Equal(operation.SpanId, command.ParentSpanId);
            Assert.Equal(ActivityKind.Client, command.Kind);
        }
    }

    [Fact]
    public async Task Npgsql_logs_to_the_hosts_logger_factory()
    {
        var url = await fixture.CreateDatabaseAsync();
        using var logs = new FakeLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs))
            .BuildServiceProvider();
        var options = new GatewayStorageOptions { Url = url, StartupRetryTimeout = TimeSpan.Zero, AutoMigrate = true };
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = StorageFixture.TestEncryptionKey });
        await using var db = new PostgresBackend().Create(url, options, services);

        await db.CountUsersAsync(new UserQuery());

        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Category?.StartsWith("Npgsql", StringComparison.Ordinal) == true);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Category == "GatewayStorage.Postgres");
    }
}
