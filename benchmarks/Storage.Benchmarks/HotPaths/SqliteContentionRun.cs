using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GatewayStorage.Benchmarks.HotPaths;

/// <summary>The latency spread of one kind of operation (or all of them) in a contention run, in milliseconds.</summary>
internal sealed record LatencySpread(string Name, long Count, double P50, double P99, double P999, double Max, long Over250Ms);

/// <summary>What a contention run measured.</summary>
internal sealed record ContentionResult(
    int Tasks,
    TimeSpan Duration,
    int PoolSize,
    TimeSpan BusyTimeout,
    long Operations,
    double OperationsPerSecond,
    LatencySpread All,
    IReadOnlyList<LatencySpread> ByKind,
    IReadOnlyDictionary<string, long> Errors,
    int ThreadsAtStart,
    int ThreadPeak,
    double CpuSeconds,
    string WorstOperation,
    double WorstAtSeconds,
    string LoadAverage);

/// <summary>
/// In-process contention on one SQLite provider (file database, default pool of 16 connections, default busy
/// timeout): 64 tasks for 20 s, each picking 70 % reads (verify API key, get user by id, get config value) and 30 %
/// writes (create user, increment usage counter, set config value) at random, every operation's latency recorded.
/// Reports the latency percentiles and the maximum, operations per second, errors by type, and the peak of the thread
/// pool's thread count. Not a BenchmarkDotNet benchmark: it measures tails and stalls, not means.
/// </summary>
/// <remarks>
/// What it guards against: with its own connection stack and no writer queue, a queued SQLite writer blocked a
/// thread-pool thread in SQLite's busy handler (Microsoft.Data.Sqlite runs synchronously), the pool grew slowly
/// (to 20–27 threads), and single operations stalled 2–14 s with no error while p99.9 stayed at 61 ms.
/// </remarks>
internal static class SqliteContentionRun
{
    public const int Tasks = 64;
    public const double MaxLatencyTargetMs = 250;

    private static readonly string[] KindNames =
        ["verify API key", "get user by id", "get config value", "create user", "increment usage counter", "set config value"];

    public static async Task<ContentionResult> RunAsync(TimeSpan duration)
    {
        var database = await SeededDatabases.GetAsync(BenchmarkEngine.Sqlite, BenchmarkSettings.MainRows);
        var prefix = "contention." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".";
        var keys = database.Keys.Select(k => k.PresentedKey).ToArray();
        var userIds = database.Plan.UserIds;
        var usageKeys = database.Plan.ApiKeyIds.Take(256).ToArray();
        var configKeys = Enumerable.Range(0, BenchmarkSettings.ConfigEntries).Select(SeedPlan.ConfigKey).ToArray();
        var value = JsonDocument.Parse("{\"enabled\":true,\"limit\":100}").RootElement.Clone();
        var window = TimeSpan.FromMinutes(1);
        long created = 0;

        var library = database.CreateLibrary();
        await using (library)
        {
            Func<Random, Task>[] operations =
            [
                async r => _ = await library.VerifyApiKeyAsync(keys[r.Next(keys.Length)]) ?? throw new InvalidOperationException("A seeded key did not verify."),
                async r => _ = await library.GetUserAsync(userIds[r.Next(userIds.Length)]) ?? throw new InvalidOperationException("A seeded user was not found."),
                async r => _ = await library.GetConfigAsync(configKeys[r.Next(configKeys.Length)]) ?? throw new InvalidOperationException("A seeded config entry was not found."),
                r => library.CreateUserAsync(new NewUser(string.Create(CultureInfo.InvariantCulture, $"{prefix}{Interlocked.Increment(ref created)}@bench.example"), "Contention User")),
                r => library.IncrementApiKeyUsageAsync(usageKeys[r.Next(usageKeys.Length)], window),
                r => library.SetConfigAsync(string.Create(CultureInfo.InvariantCulture, $"{prefix}/{r.Next(Tasks)}"), value),
            ];

            // Warm-up, one caller: the code reaches its optimised tier and the pool opens, without growing the thread pool.
            var warm = new Random(1);
            for (var i = 0; i < 300; i++)
            {
                foreach (var operation in operations)
                {
                    await operation(warm);
                }
            }

            var threadsAtStart = ThreadPool.ThreadCount;
            var threadPeak = threadsAtStart;
            using var stop = new CancellationTokenSource();
            var sampler = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var count = ThreadPool.ThreadCount;
                    if (count > Volatile.Read(ref threadPeak))
                    {
                        Volatile.Write(ref threadPeak, count);
                    }

                    Thread.Sleep(5);
                }
            }) { IsBackground = true, Name = "thread-pool sampler" };
            sampler.Start();

            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var workers = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
            {
                var random = new Random(BenchmarkSettings.Seed + t);
                var samples = new List<(long Start, long Ticks, byte Kind)>(64 * 1024);
                while (Stopwatch.GetTimestamp() < end)
                {
                    var kind = random.NextDouble() < 0.7 ? random.Next(3) : 3 + random.Next(3);
                    var began = Stopwatch.GetTimestamp();
                    try
                    {
                        await operations[kind](random);
                    }
                    catch (Exception ex)
                    {
                        errors.AddOrUpdate(ErrorName(ex), 1, (_, n) => n + 1);
                    }

                    samples.Add((began - start, Stopwatch.GetTimestamp() - began, (byte)kind));
                }

                return samples;
            })).ToArray();
            var results = await Task.WhenAll(workers);
            var elapsed = Stopwatch.GetElapsedTime(start);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
            stop.Cancel();
            sampler.Join();
            var load = LoadAverage();

            var all = results.SelectMany(s => s).ToArray();
            var worst = all.MaxBy(s => s.Ticks);
            var byKind = Enumerable.Range(0, KindNames.Length)
                .Select(k => Spread(KindNames[k], [.. all.Where(s => s.Kind == k).Select(s => s.Ticks)]))
                .ToList();

            await database.DeleteUsersAsync(SeedPlan.NormalizedEmail(prefix));
            for (var t = 0; t < Tasks; t++)
            {
                await library.DeleteConfigAsync(string.Create(CultureInfo.InvariantCulture, $"{prefix}/{t}"));
            }

            await database.CheckpointAsync();
            return new ContentionResult(
                Tasks,
                elapsed,
                database.Options.MaxPoolSize > 0 ? database.Options.MaxPoolSize : 16,
                database.Options.BusyTimeout,
                all.Length,
                all.Length / elapsed.TotalSeconds,
                Spread("all operations", [.. all.Select(s => s.Ticks)]),
                byKind,
                errors.ToDictionary(),
                threadsAtStart,
                threadPeak,
                cpu.TotalSeconds,
                all.Length == 0 ? "none" : KindNames[worst.Kind],
                worst.Start / (double)Stopwatch.Frequency,
                load);
        }
    }

    /// <summary>The run as console text.</summary>
    public static string Render(ContentionResult r)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"// SQLite contention: {r.Tasks} tasks on one provider (pool {r.PoolSize}, busy timeout {r.BusyTimeout.TotalSeconds:0.###} s), 70 % reads / 30 % writes, {r.Duration.TotalSeconds:F1} s; load average after the run: {r.LoadAverage}");
        text.AppendLine(inv, $"//   {r.Operations:N0} operations, {r.OperationsPerSecond:N0} ops/s; process CPU {r.CpuSeconds:F1} s ({r.Operations / Math.Max(r.CpuSeconds, 0.001):N0} ops per CPU second); thread pool {r.ThreadsAtStart} threads at start, peak {r.ThreadPeak}");
        text.AppendLine(inv, $"//   worst operation: {r.All.Max:F1} ms ({r.WorstOperation}, {r.WorstAtSeconds:F1} s into the run); errors: {ErrorsText(r.Errors)}");
        text.AppendLine("//   operation                  count     p50 ms   p99 ms  p99.9 ms    max ms  >250 ms");
        foreach (var s in r.ByKind.Append(r.All))
        {
            text.AppendLine(inv, $"//   {s.Name,-24} {s.Count,8:N0} {s.P50,9:F2} {s.P99,8:F2} {s.P999,9:F2} {s.Max,9:F1} {s.Over250Ms,8:N0}");
        }

        return text.ToString();
    }

    public static string ErrorsText(IReadOnlyDictionary<string, long> errors) => errors.Count == 0
        ? "none"
        : string.Join("; ", errors.OrderByDescending(e => e.Value).Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Value:N0} × {e.Key}")));

    /// <summary><c>/proc/loadavg</c>'s three load averages, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string ErrorName(Exception ex)
    {
        var message = ex.Message.ReplaceLineEndings(" ");
        return ex is StorageException ? $"{ex.GetType().Name}: {message[..Math.Min(message.Length, 90)]}" : ex.GetType().Name;
    }

    private static LatencySpread Spread(string name, long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return new LatencySpread(name, 0, 0, 0, 0, 0, 0);
        }

        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double At(double q) => Ms(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(q * ticks.Length) - 1)]);
        var limit = (long)(MaxLatencyTargetMs / 1000.0 * Stopwatch.Frequency);
        return new LatencySpread(name, ticks.Length, At(0.5), At(0.99), At(0.999), Ms(ticks[^1]), ticks.LongLength - ticks.Count(t => t <= limit));
    }
}
