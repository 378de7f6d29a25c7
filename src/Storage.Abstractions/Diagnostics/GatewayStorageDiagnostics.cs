namespace GatewayStorage;

/// <summary>
/// The names under which GatewayStorage reports traces and metrics, for <c>AddSource</c> and <c>AddMeter</c> of the
/// OpenTelemetry SDK (or an <see cref="System.Diagnostics.ActivityListener"/> and a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>).
/// </summary>
public static class GatewayStorageDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>: one client span per store operation.</summary>
    public const string ActivitySourceName = "GatewayStorage";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>: operation durations, pool usage and security counters.</summary>
    public const string MeterName = "GatewayStorage";
}
