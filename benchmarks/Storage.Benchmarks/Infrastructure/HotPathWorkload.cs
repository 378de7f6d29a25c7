using System.Diagnostics;
using System.Globalization;
using GatewayStorage.Benchmarks.EfCore;
using GatewayStorage.Benchmarks.Floor;
using GatewayStorage.Benchmarks.HotPaths;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// Every hot path of one database in its three variants, as plain delegates on the benchmarks' inputs: what the
/// pre-warm phase and <c>--probe</c> run outside BenchmarkDotNet.
/// </summary>
internal sealed class HotPathWorkload : IAsyncDisposable
{
    private readonly SeededDatabase _database;
    private readonly IDatabaseProvider _library;
    private readonly IRawHotPaths _floor;
    private readonly EfCoreHotPaths _efCore;
    private readonly string _prefix = "warm." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".";
    private long _counter;

    private HotPathWorkload(SeededDatabase database, IDatabaseProvider library, IRawHotPaths floor, EfCoreHotPaths efCore)
    {
        _database = database;
        _library = library;
        _floor = floor;
        _efCore = efCore;
        var keys = Inputs.Pick([.. database.Keys.Select(k => k.PresentedKey)], salt: 1);
        var ids = Inputs.Pick(database.Plan.UserIds, salt: 2);
        var emails = Inputs.Pick([.. Enumerable.Range(0, database.Rows).Select(SeedPlan.Email)], salt: 3);
        var configKeys = Inputs.Pick([.. Enumerable.Range(0, BenchmarkSettings.ConfigEntries).Select(SeedPlan.ConfigKey)], salt: 4);
        var usageKeys = Inputs.Pick(database.Plan.ApiKeyIds, salt: 5, count: 256);
        var starts = Inputs.Pick(database.ListStarts, salt: 8);
        var window = TimeSpan.FromMinutes(1);
        Operations =
        [
            new("verify API key", [async () => await library.VerifyApiKeyAsync(keys.Next()), () => floor.VerifyApiKeyAsync(keys.Next()), () => efCore.VerifyApiKeyAsync(keys.Next())]),
            new("get user by id", [() => library.GetUserAsync(ids.Next()), () => floor.GetUserByIdAsync(ids.Next()), () => efCore.GetUserByIdAsync(ids.Next())]),
            new("get user by email", [() => library.GetUserByEmailAsync(emails.Next()), () => floor.GetUserByEmailAsync(emails.Next()), () => efCore.GetUserByEmailAsync(emails.Next())]),
            new("get config value", [() => library.GetConfigAsync(configKeys.Next()), () => floor.GetConfigAsync(configKeys.Next()), () => efCore.GetConfigAsync(configKeys.Next())]),
            new("increment usage counter", [() => library.IncrementApiKeyUsageAsync(usageKeys.Next(), window), () => floor.IncrementUsageAsync(usageKeys.Next(), window), () => efCore.IncrementUsageAsync(usageKeys.Next(), window)]),
            new("effective permissions", [() => library.GetEffectivePermissionsAsync(ids.Next()), () => floor.GetEffectivePermissionsAsync(ids.Next()), () => efCore.GetEffectivePermissionsAsync(ids.Next())]),
            new("create user", [() => library.CreateUserAsync(new NewUser(NextEmail(), "New User")), () => floor.CreateUserAsync(NextEmail(), "New User"), () => efCore.CreateUserAsync(NextEmail(), "New User")]),
            new("list users (page of 50)", [
                () => library.ListUsersAsync(UserQuery.All, new PageRequest(ListUsers.PageSize, starts.Next().Cursor)),
                () => floor.ListUsersAsync(starts.Next().After, ListUsers.PageSize + 1),
                () => efCore.ListUsersAsync(starts.Next().After, ListUsers.PageSize + 1)]),
        ];
    }

    /// <summary>The operations; each has the variants library, floor, EF Core, in that order.</summary>
    public IReadOnlyList<WorkloadOperation> Operations { get; }

    public static async Task<HotPathWorkload> CreateAsync(SeededDatabase database) =>
        new(database, database.CreateLibrary(), await database.CreateFloorAsync(), database.CreateEfCore());

    /// <summary>
    /// Runs every operation of every variant for a while, twice, then gives the JIT a moment: the run is in-process, so
    /// the code all benchmarks share (the library, Npgsql, Microsoft.Data.Sqlite, EF Core) reaches its optimised tier
    /// before the first measurement instead of during it (ReadyToRun and tier-0 code is promoted only after enough
    /// calls and a background compile; a short warm-up of the first benchmark would otherwise measure it).
    /// </summary>
    public async Task WarmAsync(TimeSpan perOperation)
    {
        foreach (var pass in new[] { perOperation, perOperation / 2 })
        {
            foreach (var operation in Operations)
            {
                foreach (var variant in operation.Variants)
                {
                    var watch = Stopwatch.StartNew();
                    for (var n = 0; n < 50 || watch.Elapsed < pass; n++)
                    {
                        await variant();
                    }
                }
            }

            await Task.Delay(300);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _library.DisposeAsync();
        await _floor.DisposeAsync();
        await _efCore.DisposeAsync();
        await _database.DeleteUsersAsync(SeedPlan.NormalizedEmail(_prefix));
        await _database.CheckpointAsync();
    }

    private string NextEmail() => string.Create(CultureInfo.InvariantCulture, $"{_prefix}{++_counter}@bench.example");
}

/// <summary>One hot path: its name and its variants (library, floor, EF Core).</summary>
internal sealed record WorkloadOperation(string Name, Func<Task>[] Variants);
