using System.Diagnostics;
using System.Runtime.CompilerServices;
using GatewayStorage.Relational;

namespace GatewayStorage.Benchmarks.HotPaths;

/// <summary>
/// What the telemetry adds to one store operation when nobody listens, measured in-process in nanoseconds (so that the
/// load of a shared machine, which moves whole-operation timings by ±10 %, does not hide it): a session's
/// <see cref="OperationTelemetry.Start"/> and <see cref="OperationTelemetry.End"/>, as StoreContext and DbSession call
/// them. Run with <c>--telemetry-overhead</c>; the whole-operation comparison is benchmarks/Storage.TelemetryCost.
/// </summary>
internal static class TelemetryOverheadRun
{
    public static string Run()
    {
        var target = new TelemetryTarget("sqlite");
        const int Iterations = 20_000_000;
        var best = double.MaxValue;
        for (var attempt = 0; attempt < 7; attempt++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Iterations; i++)
            {
                StartAndEnd(target);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Iterations);
        }

        return $"// telemetry with no listener: {best:0.0} ns per store operation (Start + End, best of 7 x {Iterations:N0}); load average {SqliteContentionRun.LoadAverage()}";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndEnd(TelemetryTarget target)
    {
        var telemetry = OperationTelemetry.Start(target, "GetUserAsync", "users");
        telemetry.End();
    }
}
