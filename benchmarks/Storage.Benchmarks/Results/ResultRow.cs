using System.Reflection;
using BenchmarkDotNet.Reports;
using GatewayStorage.Benchmarks.HotPaths;

namespace GatewayStorage.Benchmarks.Results;

/// <summary>One benchmark case's result, read out of a BenchmarkDotNet <see cref="Summary"/>.</summary>
internal sealed record ResultRow(
    Type Type,
    string Operation,
    int Order,
    string Method,
    string Variant,
    BenchmarkEngine Engine,
    IReadOnlyDictionary<string, object?> Parameters,
    double? MeanNanoseconds,
    long? AllocatedBytes)
{
    /// <summary>Operations per second (the inverse of the mean per operation), for the throughput benchmarks.</summary>
    public double? OperationsPerSecond => MeanNanoseconds is > 0 and { } mean ? 1e9 / mean : null;

    public int? IntParameter(string name) => Parameters.TryGetValue(name, out var value) && value is int i ? i : null;

    public static IReadOnlyList<ResultRow> From(IEnumerable<Summary> summaries)
    {
        var list = new List<ResultRow>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var type = benchmark.Descriptor.Type;
                var operation = type.GetCustomAttribute<OperationAttribute>();
                var parameters = benchmark.Parameters.Items.ToDictionary(p => p.Name, p => (object?)p.Value);
                var engine = parameters.TryGetValue("Engine", out var e) && e is BenchmarkEngine be ? be : BenchmarkEngine.Sqlite;
                list.Add(new ResultRow(
                    type,
                    operation?.Name ?? type.Name,
                    operation?.Order ?? 99,
                    benchmark.Descriptor.WorkloadMethod.Name,
                    Variants.Name(benchmark.Descriptor.WorkloadMethod.Name),
                    engine,
                    parameters,
                    report.Success ? report.ResultStatistics?.Mean : null,
                    report.Success ? report.GcStats.GetBytesAllocatedPerOperation(benchmark) : null));
            }
        }

        return list;
    }
}

internal static class Variants
{
    public const string Library = "Library";
    public const string Floor = "Floor";
    public const string EfCore = "EF Core";

    public static string Name(string method) => method switch
    {
        "EfCore" => EfCore,
        _ => method,
    };
}
