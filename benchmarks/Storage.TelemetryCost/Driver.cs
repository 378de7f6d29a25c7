#if !BASELINE
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayStorage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayStorage.TelemetryCost;

/// <summary>Seeds the databases, runs the three workers in paired rounds and writes the results (see Program.cs).</summary>
internal static class Driver
{
    private static readonly string[] Operations = ["verify", "user", "config", "increment"];

    private static readonly Dictionary<string, string> OperationNames = new()
    {
        ["verify"] = "verify API key",
        ["user"] = "get user by id",
        ["config"] = "get config value",
        ["increment"] = "increment usage",
    };

    // --drive <baseline worker dll> <output file> [rounds]
    public static async Task<int> RunAsync(string[] args)
    {
        var (baseline, output) = (args[0], args[1]);
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 31;
        var self = typeof(Driver).Assembly.Location;
        var folder = Directory.CreateTempSubdirectory("gs-telemetry-cost-");
        var report = new StringBuilder();
        var startLoad = File.ReadAllText("/proc/loadavg").Trim();
        try
        {
            var postgres = await PostgresServer.GetAsync();
            var engines = new[] { ("SQLite", "sqlite:" + Path.Combine(folder.FullName, "bench.db")), ("PostgreSQL", await postgres.CreateDatabaseAsync("telemetrycost")) };
            foreach (var (engine, url) in engines)
            {
                var keysFile = Path.Combine(folder.FullName, engine + ".keys");
                await SeedAsync(url, keysFile);
                Worker[] workers =
                [
                    await Worker.StartAsync("before", "dotnet", $"\"{baseline}\" \"{url}\" \"{keysFile}\""),
                    await Worker.StartAsync("no listener", "dotnet", $"\"{self}\" \"{url}\" \"{keysFile}\""),
                    await Worker.StartAsync("OpenTelemetry SDK", "dotnet", $"\"{self}\" \"{url}\" \"{keysFile}\" --otel"),
                ];
                try
                {
                    foreach (var operation in Operations)
                    {
                        report.AppendLine(await MeasureAsync(engine, operation, workers, rounds));
                        Console.WriteLine(report.ToString().TrimEnd().Split('\n')[^1]);
                    }
                }
                finally
                {
                    foreach (var worker in workers)
                    {
                        await worker.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        var load = File.ReadAllText("/proc/loadavg").Trim();
        File.WriteAllText(output, string.Join('\n', (string[])[
            $"# Tracing and metrics cost on the hot paths",
            $"",
            $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `benchmarks/Storage.TelemetryCost/run.sh {rounds}` on a shared 2-core",
            $"machine; load average (`/proc/loadavg`) at the start: {startLoad}; at the end: {load}.",
            $"",
            $"Method: paired rounds across three worker processes over the same database (2,000 users with one API key each,",
            $"200 config entries; SQLite file in WAL mode, PostgreSQL 15 over loopback): **before** is the library at the commit",
            $"before the telemetry (built from a `git archive` of it), **no listener** is this branch's library with nothing",
            $"listening, **OTel SDK** is this branch's library with the OpenTelemetry SDK attached (tracer provider with",
            $"always-on sampling and meter provider for GatewayStorage, in-memory exporters emptied between rounds). A round",
            $"runs the same number of calls (about 40 ms of the baseline) of one operation in each worker in turn, the next",
            $"round starting one worker later; {rounds} rounds per operation. µs are medians of the per-round µs per call;",
            $"the ratios are medians of the per-round ratios, so that load which comes and goes lands on all three variants.",
            $"",
            $"| engine | operation | before µs | no listener µs | OTel SDK µs | no listener / before | OTel SDK / no listener |",
            $"| --- | --- | ---: | ---: | ---: | ---: | ---: |",
            $"{report.ToString().TrimEnd()}",
            $"",
        ]));
        Console.WriteLine($"load average at the end: {load}");
        return 0;
    }

    private static async Task<string> MeasureAsync(string engine, string operation, Worker[] workers, int rounds)
    {
        // Warm-up (every seeded key once: its last use is recorded before the measured rounds), then calls per round:
        // about 40 ms of the baseline.
        foreach (var worker in workers)
        {
            await worker.RoundAsync(operation, 2_000);
        }

        var perCall = await workers[0].RoundAsync(operation, 500);
        var calls = Math.Max(20, (int)(40_000 / perCall));
        var samples = workers.Select(_ => new double[rounds]).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < workers.Length; k++)
            {
                var w = (round + k) % workers.Length;
                samples[w][round] = await workers[w].RoundAsync(operation, calls);
            }
        }

        var noListener = Median(Enumerable.Range(0, rounds).Select(r => samples[1][r] / samples[0][r]));
        var otel = Median(Enumerable.Range(0, rounds).Select(r => samples[2][r] / samples[1][r]));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {OperationNames[operation]} | {Median(samples[0]):0.0} | {Median(samples[1]):0.0} | {Median(samples[2]):0.0} | {noListener:0.000} | {otel:0.000} |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // 2,000 users, each with a key; 200 config entries. Lines: "<presented key> <user id> <key id> <config key>".
    private static async Task SeedAsync(string url, string keysFile)
    {
        var services = new ServiceCollection();
        services.AddGatewayStorage(options =>
        {
            options.Url = url;
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "bench", Key = Convert.ToBase64String(new byte[32]) });
            options.AutoMigrate = true;
        }).AddSqlite().AddPostgres();
        await using var provider = services.BuildServiceProvider();
        var db = provider.GetRequiredService<IDatabaseProvider>();
        await db.InitializeAsync();
        var lines = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var user = await db.CreateUserAsync(new NewUser($"user{i}@example.org"));
            var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "bench"));
            var config = $"bench.setting.{i % 200}";
            if (i < 200)
            {
                await db.SetConfigAsync(config, JsonSerializer.SerializeToElement(new { value = i }));
            }

            lines.Add($"{key.Secret} {user.Id} {key.Key.Id} {config}");
        }

        // Shuffled with a fixed seed, so that consecutive calls touch scattered rows.
        var random = new Random(42);
        File.WriteAllLines(keysFile, lines.OrderBy(_ => random.Next()));
    }

    private sealed class Worker : IAsyncDisposable
    {
        private readonly Process _process;

        private Worker(Process process) => _process = process;

        public static async Task<Worker> StartAsync(string name, string file, string arguments)
        {
            var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true })
                ?? throw new InvalidOperationException("Cannot start " + name);
            var ready = await process.StandardOutput.ReadLineAsync();
            if (ready != "ready")
            {
                throw new InvalidOperationException($"Worker {name} did not start: {ready}");
            }

            return new Worker(process);
        }

        public async Task<double> RoundAsync(string operation, int calls)
        {
            await _process.StandardInput.WriteLineAsync($"round {operation} {calls}");
            await _process.StandardInput.FlushAsync();
            return double.Parse((await _process.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
#endif
