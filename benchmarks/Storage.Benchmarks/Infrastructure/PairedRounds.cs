using System.Diagnostics;
using GatewayStorage.Benchmarks.Results;

namespace GatewayStorage.Benchmarks;

/// <summary>The middle and the interquartile range of a set of ratios.</summary>
internal readonly record struct RatioSpread(double Median, double Low, double High);

/// <summary>One operation measured in paired rounds: the median time of each variant and the paired ratios.</summary>
/// <param name="MedianMicroseconds">Per variant, in the order given: the median of its per-round µs per operation.</param>
/// <param name="Ratios">Per variant after the first: the spread of (first variant / this variant) over the rounds.</param>
internal sealed record PairedResult(
    BenchmarkEngine Engine,
    string Operation,
    int Order,
    IReadOnlyList<string> Variants,
    IReadOnlyList<double> MedianMicroseconds,
    IReadOnlyList<RatioSpread> Ratios,
    int Rounds);

/// <summary>Paired rounds after a burst: library against floor per operation, the server connections a burst left, the load average.</summary>
internal sealed record BurstResult(IReadOnlyList<PairedResult> Results, int ServerConnections, string LoadAverage);

/// <summary>
/// Ratios measured in paired rounds, outside BenchmarkDotNet: the variants of an operation run in turn for a short
/// round each (library, floor, EF Core; the next round starts one variant later), many times over, and each round
/// gives one ratio per pair of variants measured side by side. BenchmarkDotNet measures one variant after the other,
/// seconds apart, so load that comes and goes on a shared two-core machine lands on one variant and moves a ratio
/// by tens of percent (PostgreSQL more: every call is a round trip between two processes that need both cores).
/// The median of the paired ratios cancels that drift; the interquartile range shows what is left.
/// </summary>
internal static class PairedRounds
{
    /// <summary>Rounds per operation and time per variant and round.</summary>
    public static (int Rounds, TimeSpan RoundTime) Settings => BenchmarkSettings.Quick ? (9, TimeSpan.FromMilliseconds(25)) : (61, TimeSpan.FromMilliseconds(40));

    /// <summary>Every hot path of <paramref name="engine"/> (or those whose name contains <paramref name="only"/>): library vs floor and EF Core.</summary>
    public static async Task<List<PairedResult>> MeasureHotPathsAsync(BenchmarkEngine engine, string? only = null)
    {
        var results = new List<PairedResult>();
        var workload = await HotPathWorkload.CreateAsync(await SeededDatabases.GetAsync(engine, BenchmarkSettings.MainRows));
        await using (workload)
        {
            await workload.WarmAsync(TimeSpan.FromMilliseconds(100));
            var order = 0;
            foreach (var operation in workload.Operations)
            {
                order++;
                if (only is null || operation.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(await MeasureAsync(engine, operation.Name, order, [Variants.Library, Variants.Floor, Variants.EfCore], operation.Variants));
                }
            }
        }

        return results;
    }

    /// <summary>Concurrent callers of the burst that runs before each operation of <see cref="MeasureAfterBurstAsync"/>.</summary>
    public const int BurstCallers = 64;

    /// <summary>
    /// The hot paths (or those whose name contains <paramref name="only"/>), library against the floor, measured right
    /// after a burst of <see cref="BurstCallers"/> concurrent callers of the same operation has grown the library's
    /// pool: a single caller then takes its connections from a pool holding many idle ones (Npgsql hands them out
    /// first-in, first-out, so one caller rotates over all of them) while the floor keeps its one held connection.
    /// Also returns the most server connections of this database seen right after a burst (PostgreSQL; 0 on SQLite)
    /// and the load average when it ended.
    /// </summary>
    public static async Task<BurstResult> MeasureAfterBurstAsync(BenchmarkEngine engine, string? only = null)
    {
        var results = new List<PairedResult>();
        var database = await SeededDatabases.GetAsync(engine, BenchmarkSettings.MainRows);
        var workload = await HotPathWorkload.CreateAsync(database);
        var connections = 0;
        await using (workload)
        {
            await workload.WarmAsync(TimeSpan.FromMilliseconds(100));
            var order = 0;
            foreach (var operation in workload.Operations)
            {
                order++;
                if (only is not null && !operation.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var library = operation.Variants[0];
                await Task.WhenAll(Enumerable.Range(0, BurstCallers).Select(_ => Task.Run(async () =>
                {
                    for (var i = 0; i < 16; i++)
                    {
                        await library();
                    }
                })));
                connections = Math.Max(connections, await ServerConnectionsAsync(database));
                results.Add(await MeasureAsync(engine, "after burst: " + operation.Name, 40 + order, [Variants.Library, Variants.Floor], [library, operation.Variants[1]]));
            }
        }

        return new BurstResult(results, connections, HotPaths.SqliteContentionRun.LoadAverage());
    }

    /// <summary>PostgreSQL: the client connections to the benchmark database, this query's own left out; SQLite: 0.</summary>
    private static async Task<int> ServerConnectionsAsync(SeededDatabase database)
    {
        if (database.Engine != BenchmarkEngine.Postgres)
        {
            return 0;
        }

        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The scale lookups through the library, on the largest scale database against the smallest.</summary>
    public static async Task<List<PairedResult>> MeasureScaleAsync(BenchmarkEngine engine)
    {
        var rows = BenchmarkSettings.ScaleRows;
        var large = await SeededDatabases.GetAsync(engine, rows[^1]);
        var small = await SeededDatabases.GetAsync(engine, rows[0]);
        await using var largeLibrary = large.CreateLibrary();
        await using var smallLibrary = small.CreateLibrary();
        var largeKeys = Inputs.Pick([.. large.Keys.Select(k => k.PresentedKey)], salt: 31);
        var smallKeys = Inputs.Pick([.. small.Keys.Select(k => k.PresentedKey)], salt: 31);
        var largeEmails = RandomEmails(large.Rows);
        var smallEmails = RandomEmails(small.Rows);
        string[] names = [$"{large.Rows:N0} rows", $"{small.Rows:N0} rows"];
        return
        [
            await MeasureAsync(engine, "scale: verify API key", 30, names,
                [async () => await largeLibrary.VerifyApiKeyAsync(largeKeys.Next()), async () => await smallLibrary.VerifyApiKeyAsync(smallKeys.Next())]),
            await MeasureAsync(engine, "scale: get user by email", 31, names,
                [() => largeLibrary.GetUserByEmailAsync(largeEmails.Next()), () => smallLibrary.GetUserByEmailAsync(smallEmails.Next())]),
        ];

        static Rotation<string> RandomEmails(int rows)
        {
            var random = new Random(BenchmarkSettings.Seed ^ 32);
            return new Rotation<string>([.. Enumerable.Range(0, Inputs.RotationSize).Select(_ => SeedPlan.Email(random.Next(rows)))]);
        }
    }

    private static async Task<PairedResult> MeasureAsync(BenchmarkEngine engine, string operation, int order, string[] names, Func<Task>[] variants)
    {
        var (rounds, roundTime) = Settings;

        // Warm-up: one pass over every input, so the pages the inputs touch are in memory again. This machine pages
        // out memory that has not been touched for a while (a DAMON "pageout" scheme in the kernel), so a database
        // left alone during a long BenchmarkDotNet run comes back cold: 126 µs per SQLite verify instead of 11.
        foreach (var variant in variants)
        {
            await RunForAsync(variant, roundTime, minimumCalls: Inputs.RotationSize);
        }

        // A fixed number of calls per round (calibrated once), so a round's time is the only measurement.
        var counts = new int[variants.Length];
        for (var v = 0; v < variants.Length; v++)
        {
            counts[v] = await RunForAsync(variants[v], roundTime, minimumCalls: 1);
        }

        var samples = new double[variants.Length][];
        for (var v = 0; v < variants.Length; v++)
        {
            samples[v] = new double[rounds];
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var v = (round + k) % variants.Length;
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < counts[v]; i++)
                {
                    await variants[v]();
                }

                samples[v][round] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / counts[v];
            }
        }

        var ratios = new List<RatioSpread>();
        for (var v = 1; v < variants.Length; v++)
        {
            ratios.Add(Spread([.. Enumerable.Range(0, rounds).Select(round => samples[0][round] / samples[v][round])]));
        }

        return new PairedResult(engine, operation, order, names, [.. samples.Select(s => Spread(s).Median)], ratios, rounds);
    }

    private static async Task<int> RunForAsync(Func<Task> operation, TimeSpan time, int minimumCalls)
    {
        var start = Stopwatch.GetTimestamp();
        var calls = 0;
        while (calls < minimumCalls || Stopwatch.GetElapsedTime(start) < time)
        {
            await operation();
            calls++;
        }

        return calls;
    }

    /// <summary>The median and interquartile range of <paramref name="values"/>.</summary>
    internal static RatioSpread Spread(double[] values)
    {
        var sorted = values.Order().ToArray();
        return new RatioSpread(Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
