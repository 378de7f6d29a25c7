using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GatewayStorage;

/// <summary>Registers the GatewayStorage health check, in the shape of the AspNetCore.HealthChecks packages.</summary>
public static class GatewayStorageHealthChecksBuilderExtensions
{
    /// <summary>The check's default name: <c>gatewaystorage</c>.</summary>
    public const string DefaultName = "gatewaystorage";

    /// <summary>
    /// Adds a <see cref="GatewayStorageHealthCheck"/> over the registered <see cref="IDatabaseLifecycle"/> (from
    /// <c>AddGatewayStorage</c>). Its data holds <c>backend</c>, <c>latencyMs</c>, <c>engineVersion</c>, <c>schemaVersion</c>
    /// and <c>pendingMigrations</c>. The check answers within <see cref="GatewayStorageOptions.HealthCheckTimeout"/> whatever
    /// the server does; <paramref name="timeout"/> bounds the whole check too.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <see langword="null"/> for <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">The status reported when the database does not answer or has pending migrations; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>); may be <see langword="null"/>.</param>
    /// <param name="timeout">How long the check may run before it is reported as failed; <see langword="null"/> for no limit of the host's own.</param>
    /// <returns>The health checks builder.</returns>
    public static IHealthChecksBuilder AddGatewayStorage(
        this IHealthChecksBuilder builder,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? DefaultName,
            static services => new GatewayStorageHealthCheck(services.GetRequiredService<IDatabaseLifecycle>()),
            failureStatus,
            tags,
            timeout));
    }
}
