using System.Globalization;
using BenchmarkDotNet.Attributes;
using GatewayStorage.Benchmarks.EfCore;

namespace GatewayStorage.Benchmarks.HotPaths;

// One class per operation; each has the three variants Library / Floor (the baseline) / EfCore and runs on both
// engines ([ParamsAllValues] Engine). Inputs rotate per invocation through 1,024 values drawn from the seeded data.

[MemoryDiagnoser]
[Operation("verify API key", 1)]
public class VerifyApiKey : HotPathBenchmark
{
    private Rotation<string> _keys = null!;

    [Benchmark]
    public ValueTask<ApiKey?> Library() => LibraryVariant.VerifyApiKeyAsync(_keys.Next());

    [Benchmark(Baseline = true)]
    public Task<ApiKey?> Floor() => FloorVariant.VerifyApiKeyAsync(_keys.Next());

    [Benchmark]
    public Task<EfApiKey?> EfCore() => EfCoreVariant.VerifyApiKeyAsync(_keys.Next());

    private protected override void PrepareInputs(SeededDatabase database) =>
        _keys = Inputs.Pick([.. database.Keys.Select(k => k.PresentedKey)], salt: 1);
}

[MemoryDiagnoser]
[Operation("get user by id", 2)]
public class GetUserById : HotPathBenchmark
{
    private Rotation<Guid> _ids = null!;

    [Benchmark]
    public Task<User?> Library() => LibraryVariant.GetUserAsync(_ids.Next());

    [Benchmark(Baseline = true)]
    public Task<User?> Floor() => FloorVariant.GetUserByIdAsync(_ids.Next());

    [Benchmark]
    public Task<EfUser?> EfCore() => EfCoreVariant.GetUserByIdAsync(_ids.Next());

    private protected override void PrepareInputs(SeededDatabase database) => _ids = Inputs.Pick(database.Plan.UserIds, salt: 2);
}

[MemoryDiagnoser]
[Operation("get user by email", 3)]
public class GetUserByEmail : HotPathBenchmark
{
    private Rotation<string> _emails = null!;

    [Benchmark]
    public Task<User?> Library() => LibraryVariant.GetUserByEmailAsync(_emails.Next());

    [Benchmark(Baseline = true)]
    public Task<User?> Floor() => FloorVariant.GetUserByEmailAsync(_emails.Next());

    [Benchmark]
    public Task<EfUser?> EfCore() => EfCoreVariant.GetUserByEmailAsync(_emails.Next());

    private protected override void PrepareInputs(SeededDatabase database) =>
        _emails = Inputs.Pick([.. Enumerable.Range(0, database.Rows).Select(SeedPlan.Email)], salt: 3);
}

[MemoryDiagnoser]
[Operation("get config value", 4)]
public class GetConfig : HotPathBenchmark
{
    private Rotation<string> _keys = null!;

    [Benchmark]
    public Task<ConfigEntry?> Library() => LibraryVariant.GetConfigAsync(_keys.Next());

    [Benchmark(Baseline = true)]
    public Task<ConfigEntry?> Floor() => FloorVariant.GetConfigAsync(_keys.Next());

    [Benchmark]
    public Task<EfConfigEntry?> EfCore() => EfCoreVariant.GetConfigAsync(_keys.Next());

    private protected override void PrepareInputs(SeededDatabase database) =>
        _keys = Inputs.Pick([.. Enumerable.Range(0, BenchmarkSettings.ConfigEntries).Select(SeedPlan.ConfigKey)], salt: 4);
}

/// <summary>Increments the usage counter of one of 256 keys in its current one-minute window (a bounded set of rows).</summary>
[MemoryDiagnoser]
[Operation("increment usage counter", 5)]
public class IncrementUsage : HotPathBenchmark
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private Rotation<Guid> _keys = null!;

    [Benchmark]
    public Task<long> Library() => LibraryVariant.IncrementApiKeyUsageAsync(_keys.Next(), Window);

    [Benchmark(Baseline = true)]
    public Task<long> Floor() => FloorVariant.IncrementUsageAsync(_keys.Next(), Window);

    [Benchmark]
    public Task<long> EfCore() => EfCoreVariant.IncrementUsageAsync(_keys.Next(), Window);

    private protected override void PrepareInputs(SeededDatabase database)
    {
        var keys = Inputs.Pick(database.Plan.ApiKeyIds, salt: 5, count: 256);
        _keys = new Rotation<Guid>([.. Enumerable.Range(0, Inputs.RotationSize).Select(i => keys[i % keys.Count])]);
    }
}

[MemoryDiagnoser]
[Operation("effective permissions", 6)]
public class EffectivePermissions : HotPathBenchmark
{
    private Rotation<Guid> _ids = null!;

    [Benchmark]
    public Task<IReadOnlySet<string>> Library() => LibraryVariant.GetEffectivePermissionsAsync(_ids.Next());

    [Benchmark(Baseline = true)]
    public Task<IReadOnlySet<string>> Floor() => FloorVariant.GetEffectivePermissionsAsync(_ids.Next());

    [Benchmark]
    public Task<IReadOnlySet<string>> EfCore() => EfCoreVariant.GetEffectivePermissionsAsync(_ids.Next());

    private protected override void PrepareInputs(SeededDatabase database) => _ids = Inputs.Pick(database.Plan.UserIds, salt: 6);
}

/// <summary>Creates users with unique emails; the benchmark case deletes them again when it ends.</summary>
[MemoryDiagnoser]
[Operation("create user", 7)]
public class CreateUser : HotPathBenchmark
{
    private string _prefix = "";
    private long _counter;

    [Benchmark]
    public Task<User> Library() => LibraryVariant.CreateUserAsync(new NewUser(NextEmail(), "New User"));

    [Benchmark(Baseline = true)]
    public Task<User> Floor() => FloorVariant.CreateUserAsync(NextEmail(), "New User");

    [Benchmark]
    public Task<EfUser> EfCore() => EfCoreVariant.CreateUserAsync(NextEmail(), "New User");

    private protected override void PrepareInputs(SeededDatabase database)
    {
        _prefix = "new." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".";
        _counter = 0;
    }

    private protected override Task CleanupAsync() => Database.DeleteUsersAsync(SeedPlan.NormalizedEmail(_prefix));

    private string NextEmail() => string.Create(CultureInfo.InvariantCulture, $"{_prefix}{++_counter}@bench.example");
}

/// <summary>One page of 50 users after a random seeded user (keyset on id); the library fetches one row more to know whether more follow, so the floor and EF Core fetch 51 too.</summary>
[MemoryDiagnoser]
[Operation("list users (page of 50)", 8)]
public class ListUsers : HotPathBenchmark
{
    public const int PageSize = 50;
    private Rotation<ListStart> _starts = null!;
    private PageRequest[] _requests = [];
    private int _next;

    [Benchmark]
    public Task<Page<User>> Library()
    {
        var i = _next;
        _next = (i + 1) & (Inputs.RotationSize - 1);
        return LibraryVariant.ListUsersAsync(UserQuery.All, _requests[i]);
    }

    [Benchmark(Baseline = true)]
    public Task<List<User>> Floor() => FloorVariant.ListUsersAsync(_starts.Next().After, PageSize + 1);

    [Benchmark]
    public Task<List<EfUser>> EfCore() => EfCoreVariant.ListUsersAsync(_starts.Next().After, PageSize + 1);

    private protected override void PrepareInputs(SeededDatabase database)
    {
        _starts = Inputs.Pick(database.ListStarts, salt: 8);
        _requests = [.. Enumerable.Range(0, _starts.Count).Select(i => new PageRequest(PageSize, _starts[i].Cursor))];
        _next = 0;
    }
}
