using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GatewayStorage.Benchmarks;
using GatewayStorage.Benchmarks.Copy;
using GatewayStorage.Benchmarks.HotPaths;
using GatewayStorage.Benchmarks.Results;
using GatewayStorage.Tests.Infrastructure;

// The hot-path benchmarks: this library against the floor (hand-written ADO.NET) and EF Core, on SQLite and
// PostgreSQL. See benchmarks/README.md. Usage:
//   dotnet run -c Release --project benchmarks/Storage.Benchmarks -- [--quick] [--verify] [--probe [operation]]
//       [--burst [operation]] [--contention [seconds]] [--scale-out [rounds]] [--copy [rows...]] [--filter <glob>...] [--output <file>]
// A run regenerates benchmarks/RESULTS.md (or --output); --verify only checks that the variants agree; --probe
// prints the hot paths' paired-round ratios only, --burst the PostgreSQL ones right after a burst of 64 callers,
// --contention the SQLite contention run (what a full or quick run also writes to RESULTS.md); they combine.
// --scale-out measures direct / PgBouncer / standby-read throughput on throwaway servers and writes SCALE-RESULTS.md.
// --copy runs only the SQLite → PostgreSQL copy against its hand-written floor (100k and 1M rows unless sizes are
// given) and writes benchmarks/COPY-RESULTS.md (or --output).

var quick = false;
var verifyOnly = false;
var probe = false;
string? probeOnly = null;
double? contentionSeconds = null;
var burst = false;
int? scaleOutRounds = null;
string? burstOnly = null;
List<int>? copySizes = null;
var filters = new List<string>();
string? output = null;
if (args.Contains("--telemetry-overhead"))
{
    Console.WriteLine(TelemetryOverheadRun.Run());
    return 0;
}

for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--verify":
            verifyOnly = true;
            break;
        case "--probe":
            probe = true;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                probeOnly = args[++i];
            }

            break;
        case "--contention":
            contentionSeconds = 20;
            if (i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                contentionSeconds = seconds;
                i++;
            }

            break;
        case "--burst":
            burst = true;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                burstOnly = args[++i];
            }

            break;
        case "--scale-out":
            scaleOutRounds = 15;
            if (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds))
            {
                scaleOutRounds = rounds;
                i++;
            }

            break;
        case "--copy":
            copySizes = [];
            while (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rows))
            {
                copySizes.Add(rows);
                i++;
            }

            break;
        case "--filter" or "-f":
            while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                filters.Add(args[++i]);
            }

            break;
        case "--output" or "-o" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--help" or "-h":
            Console.WriteLine("dotnet run -c Release --project benchmarks/Storage.Benchmarks -- [--quick] [--verify] [--probe [operation]] [--burst [operation]] [--contention [seconds]] [--scale-out [rounds]] [--copy [rows...]] [--filter <glob>...] [--output <file>]");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --quick, --verify, --probe [operation], --burst [operation], --contention [seconds], --scale-out [rounds], --copy [rows...], --filter <glob>..., --output <file>.");
            return 2;
    }
}

var watch = Stopwatch.StartNew();
BenchmarkSettings.Quick = quick;
var loadAtStart = SqliteContentionRun.LoadAverage();

if (scaleOutRounds is { } scaleRounds)
{
    var (scaleResults, loadBefore, loadAfter) = await ScaleOutRun.RunAsync(scaleRounds, TimeSpan.FromMilliseconds(300));
    var scalePath = Path.GetFullPath(output ?? Path.Combine(FindRepositoryRoot(), "benchmarks", "SCALE-RESULTS.md"));
    var scaleText = ScaleOutRun.Render(scaleResults, loadBefore, loadAfter);
    await File.WriteAllTextAsync(scalePath, scaleText);
    Console.WriteLine(scaleText);
    Console.WriteLine($"// written to {scalePath}");
    return 0;
}

if (copySizes is not null)
{
    // The copy benchmark runs alone: it loads the machine for minutes and writes its own results file.
    var copyResults = await CopyRun.RunAsync(copySizes.Count > 0 ? copySizes : CopyRun.DefaultSizes, rounds: quick ? 1 : 3);
    var copyPath = Path.GetFullPath(output ?? Path.Combine(FindRepositoryRoot(), "benchmarks", "COPY-RESULTS.md"));
    var machine = $"{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, PostgreSQL {(await PostgresServer.GetAsync()).ServerVersion} (local throwaway cluster, fsync off)";
    await File.WriteAllTextAsync(copyPath, CopyRun.Render(copyResults, loadAtStart, SqliteContentionRun.LoadAverage(), machine));
    Console.WriteLine($"// Wrote {copyPath}");
    return 0;
}

if (probe || burst || contentionSeconds is not null)
{
    // Console-only runs: the paired rounds (--probe), the PostgreSQL pool after a burst (--burst), the SQLite contention run.
    Console.WriteLine($"// load average at start: {loadAtStart}");
    if (probe)
    {
        foreach (var engine in Enum.GetValues<BenchmarkEngine>())
        {
            Console.WriteLine(ResultsWriter.RenderPairedForConsole(probeOnly == "scale"
                ? await PairedRounds.MeasureScaleAsync(engine)
                : await PairedRounds.MeasureHotPathsAsync(engine, probeOnly)));
        }

        Console.WriteLine($"// load average after the paired rounds: {SqliteContentionRun.LoadAverage()}");
    }

    if (burst)
    {
        var afterBurst = await PairedRounds.MeasureAfterBurstAsync(BenchmarkEngine.Postgres, burstOnly);
        Console.WriteLine($"// PostgreSQL, one caller right after a burst of {PairedRounds.BurstCallers} callers (at most {afterBurst.ServerConnections} server connections after a burst); load average after: {afterBurst.LoadAverage}");
        Console.WriteLine(ResultsWriter.RenderPairedForConsole(afterBurst.Results));
    }

    if (contentionSeconds is { } duration)
    {
        Console.WriteLine(SqliteContentionRun.Render(await SqliteContentionRun.RunAsync(TimeSpan.FromSeconds(duration))));
    }

    return 0;
}

if (verifyOnly)
{
    var failures = new List<string>();
    foreach (var engine in Enum.GetValues<BenchmarkEngine>())
    {
        failures.AddRange(await VariantVerification.RunAsync(engine, storageForms: true));
    }

    Console.WriteLine(failures.Count == 0
        ? "// verify: every operation returned the same data from the library, the floor and EF Core on both engines"
        : $"// verify: {failures.Count} mismatch(es):\n//   " + string.Join("\n//   ", failures));
    return failures.Count == 0 ? 0 : 1;
}

var root = FindRepositoryRoot();
var resultsPath = Path.GetFullPath(output ?? Path.Combine(root, "benchmarks", "RESULTS.md"));
var config = BenchmarkConfig.Create(quick, Path.Combine(root, "benchmarks", "BenchmarkDotNet.Artifacts"));
if (filters.Count > 0)
{
    config = config.AddFilter(new GlobFilter([.. filters]));
}

Type[] types =
[
    typeof(VerifyApiKey), typeof(GetUserById), typeof(GetUserByEmail), typeof(GetConfig), typeof(IncrementUsage),
    typeof(EffectivePermissions), typeof(CreateUser), typeof(ListUsers),
    typeof(ConcurrentVerifyApiKey), typeof(SqliteConcurrentWriters),
    typeof(ScaleVerifyApiKey), typeof(ScaleGetUserByEmail),
];
var runs = types.Select(t => BenchmarkConverter.TypeToBenchmarks(t, config)).Where(r => r.BenchmarksCases.Length > 0).ToArray();
if (runs.Length == 0)
{
    Console.Error.WriteLine($"No benchmark matches the filter '{string.Join(' ', filters)}'.");
    return 2;
}

// Seed what the selected benchmarks need before measuring (both engines at once: SQLite loads on this
// process's core, PostgreSQL mostly in the server's), then check that the three variants agree.
var needed = new HashSet<(BenchmarkEngine Engine, int Rows)>();
foreach (var benchmark in runs.SelectMany(r => r.BenchmarksCases))
{
    var engine = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Engine")?.Value is BenchmarkEngine e ? e : BenchmarkEngine.Sqlite;
    var rows = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Rows")?.Value is int r ? r : BenchmarkSettings.MainRows;
    needed.Add((engine, rows));
}

var engines = needed.Select(n => n.Engine).Distinct().Order().ToList();
await Task.WhenAll(engines.Select(async engine =>
{
    foreach (var (_, rows) in needed.Where(n => n.Engine == engine).OrderBy(n => n.Rows))
    {
        await SeededDatabases.GetAsync(engine, rows);
    }
}));

var verifiedEngines = engines.Where(e => needed.Contains((e, BenchmarkSettings.MainRows))).ToList();
var verificationFailures = new List<string>();
foreach (var engine in verifiedEngines)
{
    verificationFailures.AddRange(await VariantVerification.RunAsync(engine));
}

// The run is in-process: warm the shared code paths (library, drivers, EF Core) up to their optimised JIT tier
// before the first measurement, so no benchmark's result depends on where it falls in the run.
foreach (var engine in verifiedEngines)
{
    var workload = await HotPathWorkload.CreateAsync(await SeededDatabases.GetAsync(engine, BenchmarkSettings.MainRows));
    await using (workload)
    {
        await workload.WarmAsync(TimeSpan.FromMilliseconds(quick ? 100 : 250));
    }
}

Console.WriteLine($"// Seeded, verified and warmed in {watch.Elapsed.TotalSeconds:F0} s; measuring");
var summaries = BenchmarkRunner.Run(runs);

// Then the same operations in paired rounds, which the ratio targets are judged on (see PairedRounds).
var paired = new List<PairedResult>();
foreach (var engine in verifiedEngines)
{
    Console.WriteLine($"// Paired rounds: {ResultsWriter.EngineName(engine)} hot paths");
    paired.AddRange(await PairedRounds.MeasureHotPathsAsync(engine));
}

foreach (var engine in engines.Where(e => BenchmarkSettings.ScaleRows.All(rows => needed.Contains((e, rows)))))
{
    Console.WriteLine($"// Paired rounds: {ResultsWriter.EngineName(engine)} scale");
    paired.AddRange(await PairedRounds.MeasureScaleAsync(engine));
}

// Then PostgreSQL's pool right after a burst, and the SQLite contention run (tails and stalls, not means); a
// filtered run leaves them out (--burst and --contention run them alone).
BurstResult? afterBurstResult = null;
if (filters.Count == 0 && verifiedEngines.Contains(BenchmarkEngine.Postgres))
{
    Console.WriteLine("// Paired rounds: PostgreSQL, one caller right after a burst");
    afterBurstResult = await PairedRounds.MeasureAfterBurstAsync(BenchmarkEngine.Postgres);
}

ContentionResult? contention = null;
if (filters.Count == 0 && verifiedEngines.Contains(BenchmarkEngine.Sqlite))
{
    Console.WriteLine($"// SQLite contention: {SqliteContentionRun.Tasks} tasks, 20 s");
    contention = await SqliteContentionRun.RunAsync(TimeSpan.FromSeconds(20));
    Console.WriteLine(SqliteContentionRun.Render(contention));
}

watch.Stop();

var measurements = ResultRow.From(summaries);
var run = new RunInfo(
    BenchmarkSettings.ModeName,
    CommandLine(args),
    BenchmarkConfig.Describe(quick),
    await DescribeMachineAsync(summaries),
    DateTimeOffset.UtcNow,
    watch.Elapsed,
    [.. SeededDatabases.Seeded],
    verifiedEngines,
    verificationFailures,
    filters.Count > 0 ? string.Join(' ', filters) : null,
    paired,
    afterBurstResult,
    contention,
    $"{loadAtStart} at the start, {SqliteContentionRun.LoadAverage()} at the end");
await File.WriteAllTextAsync(resultsPath, ResultsWriter.Render(measurements, run));
Console.WriteLine($"// Wrote {resultsPath} ({measurements.Count} measurements, {watch.Elapsed.TotalMinutes:F1} min)");
return verificationFailures.Count == 0 && measurements.All(m => m.MeanNanoseconds is not null) ? 0 : 1;

// The command as RESULTS.md shows it: what was run, without where the file went (--output does not change results).
static string CommandLine(string[] args)
{
    var shown = new List<string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--output" or "-o")
        {
            i++;
            continue;
        }

        shown.Add(args[i].Contains('*', StringComparison.Ordinal) || args[i].Contains(' ', StringComparison.Ordinal) ? $"'{args[i]}'" : args[i]);
    }

    return "dotnet run -c Release --project benchmarks/Storage.Benchmarks" + (shown.Count == 0 ? "" : " -- " + string.Join(' ', shown));
}

static string FindRepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Storage.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return Directory.GetCurrentDirectory();
}

static async Task<string> DescribeMachineAsync(IEnumerable<Summary> summaries)
{
    var host = summaries.FirstOrDefault()?.HostEnvironmentInfo;
    var cpu = host?.CpuInfo.Value;
    var cpuText = cpu is null
        ? $"{Environment.ProcessorCount} logical cores"
        : string.Create(CultureInfo.InvariantCulture,
            $"{cpu.ProcessorName?.Trim()}, {cpu.PhysicalCoreCount?.ToString(CultureInfo.InvariantCulture) ?? "?"} physical / {cpu.LogicalCoreCount?.ToString(CultureInfo.InvariantCulture) ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)} logical cores");
    var os = host?.OsVersion.Value ?? RuntimeInformation.OSDescription;
    var sqlite = SeededDatabases.Seeded.FirstOrDefault(d => d.Engine == BenchmarkEngine.Sqlite)?.EngineVersion;
    var postgres = SeededDatabases.Seeded.FirstOrDefault(d => d.Engine == BenchmarkEngine.Postgres)?.EngineVersion;
    if (postgres is null && SeededDatabases.Seeded.Any(d => d.Engine == BenchmarkEngine.Postgres))
    {
        postgres = (await PostgresServer.GetAsync()).ServerVersion;
    }

    return $"{cpuText}; {os}; {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}); " +
        $"SQLite {sqlite ?? "not run"}; PostgreSQL {postgres ?? "not run"} (local throwaway cluster, loopback TCP, fsync off)";
}
