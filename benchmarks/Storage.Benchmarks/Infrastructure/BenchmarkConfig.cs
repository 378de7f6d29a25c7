using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GatewayStorage.Benchmarks.HotPaths;
using Perfolizer.Horology;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// The BenchmarkDotNet configuration: one in-process job (<see cref="InProcessEmitToolchain"/>), so every benchmark
/// runs in this process and shares its seeded databases; memory diagnoser; the writer-errors column.
/// </summary>
/// <remarks>
/// In-process is the trade-off that makes a full run take minutes instead of hours: the default toolchain starts a
/// process per benchmark, and each would seed its own 100,000-row databases (and a 1,000,000-row pair for scale).
/// What it gives up: isolation (one benchmark's JIT state, heap and thread pool carry over to the next; the
/// ordering is fixed, so runs stay comparable), and the process's GC and runtime settings apply to every
/// benchmark. The mean of each benchmark is still measured after its own warm-up.
/// </remarks>
internal static class BenchmarkConfig
{
    public static ManualConfig Create(bool quick, string artifactsPath)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1);
        job = quick
            ? job.WithId("Quick").WithWarmupCount(2).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(60))
                .WithEvaluateOverhead(false)
            : job.WithId("Full").WithWarmupCount(4).WithIterationCount(12).WithIterationTime(TimeInterval.FromMilliseconds(300))
                .WithEvaluateOverhead(false);

        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(new LockedErrorsColumn())
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile);
    }

    /// <summary>Describes the job for RESULTS.md.</summary>
    public static string Describe(bool quick) => quick
        ? "in-process (InProcessEmitToolchain), 1 launch, 2 warm-up + 5 measured iterations of ~60 ms"
        : "in-process (InProcessEmitToolchain), 1 launch, 4 warm-up + 12 measured iterations of ~300 ms";
}
