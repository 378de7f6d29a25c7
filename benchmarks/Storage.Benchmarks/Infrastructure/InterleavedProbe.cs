using System.Diagnostics;
using System.Globalization;
using GatewayStorage.Benchmarks.Results;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// <c>--probe</c>: a quick diagnostic outside BenchmarkDotNet that runs the three variants of each hot path in
/// alternating short rounds (library, floor, EF Core, library, …) and prints the median time per operation of
/// each. On a machine with background load, BenchmarkDotNet measures one variant after the other, so load that
/// comes and goes lands on one variant; alternating rounds spread it over all three, so the ratios are steadier.
/// Not written to RESULTS.md. <c>--probe &lt;operation&gt;</c> runs only the operations whose name contains the text.
/// </summary>
internal static class InterleavedProbe
{
    private const int Rounds = 15;
    private static readonly TimeSpan RoundTime = TimeSpan.FromMilliseconds(20);

    public static async Task RunAsync(string? only)
    {
        foreach (var engine in Enum.GetValues<BenchmarkEngine>())
        {
            var database = await SeededDatabases.GetAsync(engine, BenchmarkSettings.MainRows);
            var workload = await HotPathWorkload.CreateAsync(database);
            await using (workload)
            {
                await workload.WarmAsync(TimeSpan.FromMilliseconds(100));
                Console.WriteLine($"// probe {ResultsWriter.EngineName(engine)}: median µs per operation over {Rounds} alternating rounds of ~{RoundTime.TotalMilliseconds:F0} ms");
                Console.WriteLine("//   operation                  library     floor   EF Core   lib/floor  lib/EF");
                foreach (var operation in workload.Operations)
                {
                    if (only is not null && !operation.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var variants = operation.Variants;
                    var counts = new int[variants.Length];
                    for (var v = 0; v < variants.Length; v++)
                    {
                        counts[v] = await CalibrateAsync(variants[v]);
                    }

                    var samples = variants.Select(_ => new List<double>()).ToArray();
                    for (var round = 0; round < Rounds; round++)
                    {
                        for (var k = 0; k < variants.Length; k++)
                        {
                            var v = (round + k) % variants.Length;
                            var watch = Stopwatch.StartNew();
                            for (var i = 0; i < counts[v]; i++)
                            {
                                await variants[v]();
                            }

                            samples[v].Add(watch.Elapsed.TotalMicroseconds / counts[v]);
                        }
                    }

                    var medians = samples.Select(Median).ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"//   {operation.Name,-24} {medians[0],9:F1} {medians[1],9:F1} {medians[2],9:F1}   {medians[0] / medians[1],9:F2} {medians[0] / medians[2],7:F2}"));
                }
            }
        }
    }

    private static async Task<int> CalibrateAsync(Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        var n = 0;
        while (watch.Elapsed < RoundTime)
        {
            await operation();
            n++;
        }

        return Math.Max(n, 1);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
