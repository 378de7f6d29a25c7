namespace GatewayStorage.Benchmarks;

/// <summary>The run's mode and the sizes of the seeded data, fixed before BenchmarkDotNet starts (the run is in-process).</summary>
internal static class BenchmarkSettings
{
    /// <summary>Users (and API keys, one per user) in the database every hot-path benchmark runs against.</summary>
    public const int MainRows = 100_000;

    /// <summary>Config entries in every database.</summary>
    public const int ConfigEntries = 1_000;

    /// <summary>Roles in every database, each with 5 to 20 permissions; every user holds 1 to 3 of them.</summary>
    public const int Roles = 10;

    /// <summary>The seed of every random choice: seeded data and benchmark inputs are the same on every run.</summary>
    public const int Seed = 20_251_121;

    /// <summary>How many presented API keys each database keeps for the verify benchmarks.</summary>
    public const int KeySampleSize = 4_096;

    /// <summary>Whether this is the short sanity run (<c>--quick</c>).</summary>
    public static bool Quick { get; set; }

    /// <summary>The small and the large table size of the scale benchmarks.</summary>
    public static IReadOnlyList<int> ScaleRows => Quick ? [10_000, 100_000] : [10_000, 1_000_000];

    /// <summary>The mode's name, as RESULTS.md states it.</summary>
    public static string ModeName => Quick ? "quick" : "full";
}
