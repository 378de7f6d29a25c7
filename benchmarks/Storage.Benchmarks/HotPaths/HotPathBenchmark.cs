using BenchmarkDotNet.Attributes;
using GatewayStorage.Benchmarks.EfCore;
using GatewayStorage.Benchmarks.Floor;

namespace GatewayStorage.Benchmarks.HotPaths;

/// <summary>Names the operation a benchmark class measures, as RESULTS.md shows it.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OperationAttribute(string name, int order) : Attribute
{
    public string Name { get; } = name;

    public int Order { get; } = order;
}

/// <summary>
/// One hot path on both engines, three variants on the same seeded database: <c>Library</c> (this library
/// through <see cref="IDatabaseProvider"/>), <c>Floor</c> (the baseline: hand-written ADO.NET, prepared commands
/// on a held connection) and <c>EfCore</c> (EF Core 10, AsNoTracking and compiled queries). Each benchmark case
/// sets up only its own variant; the database is the process's shared one.
/// </summary>
public abstract class HotPathBenchmark
{
    [ParamsAllValues]
    public BenchmarkEngine Engine { get; set; }

    private protected SeededDatabase Database { get; private set; } = null!;

    private protected IDatabaseProvider LibraryVariant { get; private set; } = null!;

    private protected IRawHotPaths FloorVariant { get; private set; } = null!;

    private protected EfCoreHotPaths EfCoreVariant { get; private set; } = null!;

    [GlobalSetup(Target = "Library")]
    public void SetupLibrary()
    {
        Load();
        LibraryVariant = Database.CreateLibrary();
    }

    [GlobalSetup(Target = "Floor")]
    public void SetupFloor()
    {
        Load();
        FloorVariant = Database.CreateFloorAsync().GetAwaiter().GetResult();
    }

    [GlobalSetup(Target = "EfCore")]
    public void SetupEfCore()
    {
        Load();
        EfCoreVariant = Database.CreateEfCore();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        CleanupAsync().GetAwaiter().GetResult();
        LibraryVariant?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        FloorVariant?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        EfCoreVariant?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        LibraryVariant = null!;
        FloorVariant = null!;
        EfCoreVariant = null!;
        Database.CheckpointAsync().GetAwaiter().GetResult();
    }

    /// <summary>The database this benchmark runs against: the engine's main one unless overridden.</summary>
    private protected virtual SeededDatabase SelectDatabase() => SeededDatabases.GetMain(Engine);

    /// <summary>Draws the inputs from the seeded data.</summary>
    private protected abstract void PrepareInputs(SeededDatabase database);

    /// <summary>Undoes what the benchmark wrote, so the shared database does not grow from one benchmark to the next.</summary>
    private protected virtual Task CleanupAsync() => Task.CompletedTask;

    private void Load()
    {
        Database = SelectDatabase();
        PrepareInputs(Database);
    }
}
