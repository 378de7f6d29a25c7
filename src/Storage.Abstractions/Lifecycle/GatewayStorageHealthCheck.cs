using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GatewayStorage;

/// <summary>
/// An ASP.NET Core health check over <see cref="IDatabaseLifecycle.CheckHealthAsync"/>. Register it with
/// <c>services.AddHealthChecks().AddCheck&lt;GatewayStorageHealthCheck&gt;("storage")</c>.
/// </summary>
public sealed class GatewayStorageHealthCheck : IHealthCheck
{
    private readonly IDatabaseLifecycle _database;

    /// <summary>Creates the health check.</summary>
    /// <param name="database">The storage to check.</param>
    public GatewayStorageHealthCheck(IDatabaseLifecycle database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await _database.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["backend"] = health.Backend,
            ["latencyMs"] = health.Latency.TotalMilliseconds,
        };
        if (health.EngineVersion is not null)
        {
            data["engineVersion"] = health.EngineVersion;
        }

        if (health.SchemaVersion is not null)
        {
            data["schemaVersion"] = health.SchemaVersion;
        }

        return health.IsHealthy
            ? HealthCheckResult.Healthy($"{health.Backend} answered in {health.Latency.TotalMilliseconds:F1} ms.", data)
            : new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, health.Error, data: data);
    }
}
