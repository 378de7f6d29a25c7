using System.Diagnostics;
using System.Globalization;
using System.Text;
using GatewayStorage.Benchmarks.HotPaths;
using GatewayStorage.Portability;
using GatewayStorage.Postgres;
using GatewayStorage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GatewayStorage.Benchmarks.Copy;

/// <summary>One measured copy: which variant, how many rows, how long, and the memory it took.</summary>
internal sealed record CopyMeasurement(string Variant, int Rows, int Round, TimeSpan Elapsed, long PeakRssBytes, long PeakAnonBytes, long AllocatedBytes)
{
    public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
}

/// <summary>
/// The copy benchmark (<c>--copy</c>): SQLite → PostgreSQL with <see cref="DatabaseCopier"/> against the hand-written
/// floor (<see cref="CopyFloor"/>), in paired rounds (the two variants back to back, in alternating order, each into a
/// fresh PostgreSQL database), per size. Peak memory is the process's peak resident set during the copy alone: the
/// kernel's high-water mark is reset just before it (<c>/proc/self/clear_refs</c>), after seeding and a full GC. That
/// includes the SQLite file pages the library maps (<c>mmap_size</c>, 256 MiB): the anonymous part (managed heap,
/// native buffers), which is what a copy itself holds, is sampled every 10 ms as well.
/// </summary>
internal static class CopyRun
{
    public static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    public static IReadOnlyList<int> DefaultSizes { get; } = [100_000, 1_000_000];

    public static async Task<List<CopyMeasurement>> RunAsync(IReadOnlyList<int> sizes, int rounds)
    {
        var server = await PostgresServer.GetAsync();
        var directory = Directory.CreateTempSubdirectory("gs-copy-bench-").FullName;
        var results = new List<CopyMeasurement>();
        try
        {
            foreach (var rows in sizes)
            {
                Console.WriteLine($"// copy benchmark: seeding {rows:N0} rows in SQLite (load {SqliteContentionRun.LoadAverage()})");
                var sourceUrl = await CopySource.CreateAsync(directory, rows);
                for (var round = 1; round <= rounds; round++)
                {
                    string[] order = round % 2 == 1 ? ["library", "floor"] : ["floor", "library"];
                    foreach (var variant in order)
                    {
                        var measurement = await MeasureAsync(server, sourceUrl, variant, rows, round);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"// {variant,-7} {rows,9:N0} rows round {round}: {measurement.Elapsed.TotalSeconds,6:F2} s, {measurement.RowsPerSecond,9:N0} rows/s, peak RSS {measurement.PeakRssBytes / 1048576.0,6:F1} MiB (anonymous {measurement.PeakAnonBytes / 1048576.0,6:F1} MiB), allocated {measurement.AllocatedBytes / (double)rows,7:F0} B/row (load {SqliteContentionRun.LoadAverage()})"));
                        results.Add(measurement);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return results;
    }

    private static async Task<CopyMeasurement> MeasureAsync(PostgresServer server, string sourceUrl, string variant, int rows, int round)
    {
        var targetUrl = await server.CreateDatabaseAsync(string.Create(CultureInfo.InvariantCulture, $"copy_{variant}_{rows}_{round}"));
        var target = new PostgresBackend().Create(targetUrl, BenchmarkOptions.Create(targetUrl), Services);
        var source = new SqliteBackend().Create(sourceUrl, BenchmarkOptions.Create(sourceUrl), Services);
        try
        {
            await target.MigrateAsync();
            await target.CheckHealthAsync();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            ResetPeakRss();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            using var sampling = new CancellationTokenSource();
            var anonymous = SamplePeakAnonAsync(sampling.Token);
            var watch = Stopwatch.StartNew();
            if (variant == "library")
            {
                var report = await DatabaseCopier.CopyAsync(source, target);
                if (!report.Verified || report.Tables.Sum(t => t.WrittenRows) < rows / 3 * 3)
                {
                    throw new InvalidOperationException("The benchmark copy did not verify.");
                }
            }
            else
            {
                var copied = await CopyFloor.CopyAsync(sourceUrl["sqlite:".Length..], PostgresConnectionStrings.FromUrl(targetUrl).ConnectionString);
                if (copied != rows / 3 * 3)
                {
                    throw new InvalidOperationException("The floor copy lost rows.");
                }
            }

            watch.Stop();
            await sampling.CancelAsync();
            return new CopyMeasurement(variant, rows / 3 * 3, round, watch.Elapsed, Status("VmHWM:"), await anonymous, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }
        finally
        {
            await source.DisposeAsync();
            await target.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await DropAsync(server, targetUrl);
        }
    }

    private static async Task DropAsync(PostgresServer server, string url)
    {
        var name = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.FromUrl(url).ConnectionString).Database;
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    // Linux: writing 5 to clear_refs resets the peak resident set (VmHWM) to the current one.
    private static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task<long> SamplePeakAnonAsync(CancellationToken stop)
    {
        var peak = Status("RssAnon:");
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                peak = Math.Max(peak, Status("RssAnon:"));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Math.Max(peak, Status("RssAnon:"));
    }

    /// <summary>COPY-RESULTS.md: per size, the medians of both variants and the median of the per-round ratios.</summary>
    public static string Render(IReadOnlyList<CopyMeasurement> results, string loadAtStart, string loadAtEnd, string machine)
    {
        var text = new StringBuilder();
        text.AppendLine("# Copy benchmark: SQLite → PostgreSQL");
        text.AppendLine();
        text.AppendLine("Generated by `dotnet run -c Release --project benchmarks/Storage.Benchmarks -- --copy` (see benchmarks/README.md).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}; load average {loadAtStart} at the start, {loadAtEnd} at the end.");
        text.AppendLine();
        text.AppendLine("Rows: a third each in users, API keys and audit entries (half with JSON details). **library**: `DatabaseCopier.CopyAsync`");
        text.AppendLine("(every table, per-table digests of source and target, binary COPY in one transaction, read-back verification before");
        text.AppendLine("the commit). **floor**: hand-written, a plain SQLite reader into `NpgsqlBinaryImporter` for the three tables, one");
        text.AppendLine("transaction, no digest and no verification. Paired rounds: the two back to back, alternating which goes first, each");
        text.AppendLine("into a fresh PostgreSQL database; the ratio is library time / floor time per round, median over rounds. Peak RSS: the");
        text.AppendLine("process's resident-set high-water mark during the copy alone (reset after seeding), which counts the SQLite file pages the");
        text.AppendLine("library maps (`mmap_size` 256 MiB, file-backed and reclaimable); peak anonymous: the largest anonymous resident set (managed");
        text.AppendLine("heap and native buffers) sampled every 10 ms, what the copy itself holds; allocated: managed bytes allocated per row.");
        text.AppendLine();
        text.AppendLine("| rows | variant | median time | rows/s | peak RSS | peak anonymous | allocated/row | ratio to floor (median of rounds) |");
        text.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var size in results.GroupBy(r => r.Rows))
        {
            var ratios = size.Where(r => r.Variant == "library")
                .Select(l => l.Elapsed / size.Single(f => f.Variant == "floor" && f.Round == l.Round).Elapsed).ToList();
            foreach (var variant in size.GroupBy(r => r.Variant))
            {
                var seconds = Median(variant.Select(v => v.Elapsed.TotalSeconds));
                text.AppendLine(FormattableString.Invariant(
                    $"| {size.Key:N0} | {variant.Key} | {seconds:F2} s | {size.Key / seconds:N0} | {variant.Max(v => v.PeakRssBytes) / 1048576.0:F0} MiB | {variant.Max(v => v.PeakAnonBytes) / 1048576.0:F0} MiB | {Median(variant.Select(v => (double)v.AllocatedBytes)) / size.Key:F0} B | ") +
                    (variant.Key == "library" ? FormattableString.Invariant($"**{Median(ratios):F2}x** ({string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})") : "1") + " |");
            }
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
