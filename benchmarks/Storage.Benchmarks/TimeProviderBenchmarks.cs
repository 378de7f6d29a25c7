using BenchmarkDotNet.Attributes;

namespace GatewayStorage.Benchmarks;

/// <summary>A placeholder measurement that keeps the harness building and runnable until the hot-path suite lands.</summary>
[MemoryDiagnoser]
public class TimeProviderBenchmarks
{
    [Benchmark]
    public DateTimeOffset NormalisedNow() => StorageTime.Now(TimeProvider.System);
}
