using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GatewayStorage;

/// <summary>
/// A health check over <see cref="IDatabaseLifecycle.CheckHealthAsync"/>, reporting the backend, engine version, schema
/// version and pending migrations in its data. Register it with <c>services.AddHealthChecks().AddGatewayStorage()</c>.
/// A database that does not answer, or that has migrations pending (operations would be refused), reports the
/// registration's failure status.
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

        if (health.PendingMigrations is not null)
        {
            data["pendingMigrations"] = health.PendingMigrations;
        }

        var failureStatus = context?.Registration.FailureStatus ?? HealthStatus.Unhealthy;
        if (!health.IsHealthy)
        {
            return new HealthCheckResult(failureStatus, health.Error, data: data);
        }

        return health.PendingMigrations is > 0
            ? new HealthCheckResult(failureStatus,
                $"{health.Backend} answered, but {health.PendingMigrations} migration(s) are pending: migrate the database.", data: data)
            : HealthCheckResult.Healthy($"{health.Backend} answered in {health.Latency.TotalMilliseconds:F1} ms.", data);
    }
}
