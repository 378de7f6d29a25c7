namespace GatewayStorage.Tests.Conformance.Telemetry;

/// <summary>
/// Telemetry tests count measurements of process-wide instruments: they run alone, after the parallel tests, so that no
/// other test's verifications are counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
