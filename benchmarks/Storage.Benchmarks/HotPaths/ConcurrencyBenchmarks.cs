using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GatewayStorage.Benchmarks.EfCore;
using GatewayStorage.Benchmarks.Floor;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Benchmarks.HotPaths;

/// <summary>
/// Verify-API-key throughput with 1, 8 and 32 concurrent callers. One invocation runs the callers at once, each
/// verifying <c>256 / Callers</c> keys in turn; the mean is per verify (OperationsPerInvoke), so operations per
/// second is its inverse. The library is one shared provider (its pool: SQLite 16 connections, PostgreSQL 100), and
/// EF Core one shared instance (a pooled context factory, a context rented per call); the floor gets one instance per
/// caller (a held connection cannot be shared).
/// </summary>
[MemoryDiagnoser]
[Operation("verify API key, concurrent callers", 20)]
public class ConcurrentVerifyApiKey
{
    public const int Operations = 256;

    private IDatabaseProvider? _library;
    private IRawHotPaths[] _floors = [];
    private EfCoreHotPaths? _efCore;
    private Rotation<string>[] _keys = [];

    [ParamsAllValues]
    public BenchmarkEngine Engine { get; set; }

    [Params(1, 8, 32)]
    public int Callers { get; set; }

    [GlobalSetup(Target = nameof(Library))]
    public void SetupLibrary() => _library = Load().CreateLibrary();

    [GlobalSetup(Target = nameof(Floor))]
    public void SetupFloor()
    {
        var database = Load();
        _floors = [.. Enumerable.Range(0, Callers).Select(_ => database.CreateFloorAsync().GetAwaiter().GetResult())];
    }

    [GlobalSetup(Target = nameof(EfCore))]
    public void SetupEfCore() => _efCore = Load().CreateEfCore();

    [GlobalCleanup]
    public void Cleanup()
    {
        _library?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var floor in _floors)
        {
            floor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _efCore?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _library = null;
        _floors = [];
        _efCore = null;
        SeededDatabases.GetMain(Engine).CheckpointAsync().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public Task Library() => RunCallers(async (caller, keys, count) =>
    {
        for (var i = 0; i < count; i++)
        {
            _ = await _library!.VerifyApiKeyAsync(keys.Next()) ?? throw new InvalidOperationException("A seeded key did not verify.");
        }
    });

    [Benchmark(OperationsPerInvoke = Operations, Baseline = true)]
    public Task Floor() => RunCallers(async (caller, keys, count) =>
    {
        var floor = _floors[caller];
        for (var i = 0; i < count; i++)
        {
            _ = await floor.VerifyApiKeyAsync(keys.Next()) ?? throw new InvalidOperationException("A seeded key did not verify.");
        }
    });

    [Benchmark(OperationsPerInvoke = Operations)]
    public Task EfCore() => RunCallers(async (caller, keys, count) =>
    {
        var efCore = _efCore!;
        for (var i = 0; i < count; i++)
        {
            _ = await efCore.VerifyApiKeyAsync(keys.Next()) ?? throw new InvalidOperationException("A seeded key did not verify.");
        }
    });

    private SeededDatabase Load()
    {
        var database = SeededDatabases.GetMain(Engine);
        var all = database.Keys.Select(k => k.PresentedKey).ToArray();
        _keys = [.. Enumerable.Range(0, Callers).Select(c => Inputs.Pick(all, salt: 100 + c))];
        return database;
    }

    private Task RunCallers(Func<int, Rotation<string>, int, Task> caller)
    {
        var perCaller = Operations / Callers;
        var tasks = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            var index = c;
            tasks[c] = Task.Run(() => caller(index, _keys[index], perCaller));
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>
/// 8 concurrent writers creating users on SQLite: the library must see no "database is locked" errors. Each
/// invocation runs 8 writers × 32 creates; errors are counted (not thrown) and shown in the Locked column.
/// </summary>
[MemoryDiagnoser]
[Operation("SQLite concurrent writers (create user)", 21)]
public class SqliteConcurrentWriters
{
    public const int Operations = 256;

    private IDatabaseProvider? _library;
    private IRawHotPaths[] _floors = [];
    private SeededDatabase _database = null!;
    private string _prefix = "";
    private long _counter;

    [Params(8)]
    public int Writers { get; set; }

    [GlobalSetup(Target = nameof(Library))]
    public void SetupLibrary() => _library = Load().CreateLibrary();

    [GlobalSetup(Target = nameof(Floor))]
    public void SetupFloor()
    {
        var database = Load();
        _floors = [.. Enumerable.Range(0, Writers).Select(_ => database.CreateFloorAsync().GetAwaiter().GetResult())];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _library?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var floor in _floors)
        {
            floor.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _library = null;
        _floors = [];
        _database.DeleteUsersAsync(SeedPlan.NormalizedEmail(_prefix)).GetAwaiter().GetResult();
        _database.CheckpointAsync().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public Task Library() => RunWriters(nameof(Library), _ => _library!.CreateUserAsync(new NewUser(NextEmail(), "Writer")));

    [Benchmark(OperationsPerInvoke = Operations, Baseline = true)]
    public Task Floor() => RunWriters(nameof(Floor), writer => _floors[writer].CreateUserAsync(NextEmail(), "Writer"));

    private SeededDatabase Load()
    {
        _database = SeededDatabases.GetMain(BenchmarkEngine.Sqlite);
        _prefix = "writer." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".";
        return _database;
    }

    private string NextEmail() =>
        string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Interlocked.Increment(ref _counter)}@bench.example");

    private Task RunWriters(string variant, Func<int, Task> create)
    {
        var perWriter = Operations / Writers;
        var tasks = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            var writer = w;
            tasks[w] = Task.Run(async () =>
            {
                long errors = 0;
                for (var i = 0; i < perWriter; i++)
                {
                    try
                    {
                        await create(writer);
                    }
                    catch (Exception ex) when (WriterErrors.IsLocked(ex))
                    {
                        errors++;
                    }
                }

                WriterErrors.Record(variant, Writers, perWriter, errors);
            });
        }

        return Task.WhenAll(tasks);
    }
}

/// <summary>The "database is locked" (SQLITE_BUSY / SQLITE_LOCKED) errors the writers saw, per variant and writer count.</summary>
internal static class WriterErrors
{
    private static readonly ConcurrentDictionary<string, (long Operations, long Errors)> Counts = new();

    public static void Record(string variant, int writers, long operations, long errors) =>
        Counts.AddOrUpdate(Key(variant, writers), (operations, errors), (_, c) => (c.Operations + operations, c.Errors + errors));

    public static (long Operations, long Errors)? Get(string variant, int writers) =>
        Counts.TryGetValue(Key(variant, writers), out var counts) ? counts : null;

    public static bool IsLocked(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 } || e.Message.Contains("database is locked", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Key(string variant, int writers) => variant + "/" + writers.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The Locked column: "database is locked" errors out of all creates the writers attempted in the whole run.</summary>
internal sealed class LockedErrorsColumn : IColumn
{
    public string Id => nameof(LockedErrorsColumn);

    public string ColumnName => "Locked errors";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "\"database is locked\" errors / creates attempted, over the whole run (warm-up included)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => Text(benchmarkCase) ?? "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Type == typeof(SqliteConcurrentWriters));

    public static (long Operations, long Errors)? Counts(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == typeof(SqliteConcurrentWriters)
        && benchmarkCase.Parameters["Writers"] is int writers
            ? WriterErrors.Get(benchmarkCase.Descriptor.WorkloadMethod.Name, writers)
            : null;

    private static string? Text(BenchmarkCase benchmarkCase) =>
        Counts(benchmarkCase) is { } c ? string.Create(CultureInfo.InvariantCulture, $"{c.Errors:N0} / {c.Operations:N0}") : null;
}
