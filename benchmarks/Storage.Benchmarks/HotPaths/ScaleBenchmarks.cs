using BenchmarkDotNet.Attributes;

namespace GatewayStorage.Benchmarks.HotPaths;

/// <summary>
/// The lookups whose cost must not grow with the table: each on a database of 10,000 and one of 1,000,000 users
/// and keys (<c>--quick</c>: 10,000 and 100,000), library and floor. RESULTS.md shows the large/small ratio.
/// </summary>
public abstract class ScaleBenchmark : HotPathBenchmark
{
    public static IEnumerable<int> RowCounts => BenchmarkSettings.ScaleRows;

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    private protected override SeededDatabase SelectDatabase() => SeededDatabases.Get(Engine, Rows);
}

[MemoryDiagnoser]
[Operation("scale: verify API key", 30)]
public class ScaleVerifyApiKey : ScaleBenchmark
{
    private Rotation<string> _keys = null!;

    [Benchmark]
    public ValueTask<ApiKey?> Library() => LibraryVariant.VerifyApiKeyAsync(_keys.Next());

    [Benchmark(Baseline = true)]
    public Task<ApiKey?> Floor() => FloorVariant.VerifyApiKeyAsync(_keys.Next());

    private protected override void PrepareInputs(SeededDatabase database) =>
        _keys = Inputs.Pick([.. database.Keys.Select(k => k.PresentedKey)], salt: 31);
}

[MemoryDiagnoser]
[Operation("scale: get user by email", 31)]
public class ScaleGetUserByEmail : ScaleBenchmark
{
    private Rotation<string> _emails = null!;

    [Benchmark]
    public Task<User?> Library() => LibraryVariant.GetUserByEmailAsync(_emails.Next());

    [Benchmark(Baseline = true)]
    public Task<User?> Floor() => FloorVariant.GetUserByEmailAsync(_emails.Next());

    private protected override void PrepareInputs(SeededDatabase database)
    {
        var random = new Random(BenchmarkSettings.Seed ^ 32);
        _emails = new Rotation<string>([.. Enumerable.Range(0, Inputs.RotationSize).Select(_ => SeedPlan.Email(random.Next(database.Rows)))]);
    }
}
