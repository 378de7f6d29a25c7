using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GatewayStorage;

/// <summary>Adds the PostgreSQL backend to GatewayStorage.</summary>
public static class PostgresGatewayStorageBuilderExtensions
{
    /// <summary>Lets GatewayStorage serve <c>postgres://</c> and <c>postgresql://</c> URLs. Calling it twice is safe.</summary>
    /// <param name="builder">The builder returned by <c>AddGatewayStorage</c>.</param>
    /// <param name="useRegisteredDataSource">
    /// Whether to use an <c>NpgsqlDataSource</c> the host already registered instead of building one from the URL.
    /// Defaults to <see langword="false"/>. The library works best with <c>No Reset On Close=true</c> and
    /// <c>Max Auto Prepare</c> set on that data source.
    /// </param>
    /// <returns>The same builder.</returns>
    public static GatewayStorageBuilder AddPostgres(this GatewayStorageBuilder builder, bool useRegisteredDataSource = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatabaseBackend>(new PostgresBackend(useRegisteredDataSource)));
        return builder;
    }
}
