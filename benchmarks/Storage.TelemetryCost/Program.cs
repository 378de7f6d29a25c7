// Tracing and metrics cost on the hot paths (verify API key, get user by id, get config value, increment usage), in
// paired rounds across processes. `--drive` (this branch's build) seeds one database per engine through the library,
// then starts three workers over it: the library before the telemetry (the baseline build), this branch's library
// with nobody listening, and this branch's library with the OpenTelemetry SDK attached (tracer and meter provider for
// GatewayStorage, always-on sampling, in-memory exporters). Each round runs a fixed number of calls of one operation
// in every worker in turn (the next round starts one worker later), so load that comes and goes on a shared machine
// lands on all three; the medians of the per-round ratios are reported.
using System.Diagnostics;
using System.Globalization;
using GatewayStorage;
using Microsoft.Extensions.DependencyInjection;
#if !BASELINE
using GatewayStorage.TelemetryCost;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
#endif

#if !BASELINE
if (args.Length > 0 && args[0] == "--drive")
{
    return await Driver.RunAsync(args[1..]);
}
#endif

// Worker: <url> <keys file> [--otel]; reads "round <operation> <calls>" lines, answers µs per call.
var (url, keysFile, otel) = (args[0], args[1], args.Contains("--otel"));
#if !BASELINE
var exportedSpans = new List<Activity>();
var exportedMetrics = new List<Metric>();
using var tracing = otel
    ? Sdk.CreateTracerProviderBuilder().SetSampler(new AlwaysOnSampler()).AddSource(GatewayStorageDiagnostics.ActivitySourceName)
        .AddInMemoryExporter(exportedSpans).Build()
    : null;
using var metering = otel
    ? Sdk.CreateMeterProviderBuilder().AddMeter(GatewayStorageDiagnostics.MeterName).AddInMemoryExporter(exportedMetrics).Build()
    : null;
#else
if (otel)
{
    throw new InvalidOperationException("The baseline has no telemetry.");
}
#endif

var services = new ServiceCollection();
services.AddGatewayStorage(options =>
{
    options.Url = url;
    // Verification stays the common case, one read, once every key's last use was recorded in the warm-up.
    options.ApiKeyLastUsedInterval = TimeSpan.FromHours(1);
    options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "bench", Key = Convert.ToBase64String(new byte[32]) });
}).AddSqlite().AddPostgres();
await using var provider = services.BuildServiceProvider();
var db = provider.GetRequiredService<IDatabaseProvider>();
await db.InitializeAsync();
var seeded = File.ReadAllLines(keysFile).Select(line => line.Split(' ')).ToArray();
var next = 0;
string[] Next() => seeded[(next = (next + 1) % seeded.Length)];
Dictionary<string, Func<Task>> operations = new()
{
    ["verify"] = async () => await db.VerifyApiKeyAsync(Next()[0]),
    ["user"] = () => db.GetUserAsync(Guid.Parse(Next()[1])),
    ["config"] = () => db.GetConfigAsync(Next()[3]),
    ["increment"] = () => db.IncrementApiKeyUsageAsync(Guid.Parse(Next()[2]), TimeSpan.FromMinutes(1)),
};
Console.WriteLine("ready");
while (Console.ReadLine() is { } line && line != "quit")
{
    var parts = line.Split(' ');
    var operation = operations[parts[1]];
    var calls = int.Parse(parts[2], CultureInfo.InvariantCulture);
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < calls; i++)
    {
        await operation();
    }

    Console.WriteLine(Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls);
#if !BASELINE
    // The exporters keep what they are given: empty them between rounds, outside the measured time.
    exportedSpans.Clear();
    exportedMetrics.Clear();
#endif
}

return 0;
