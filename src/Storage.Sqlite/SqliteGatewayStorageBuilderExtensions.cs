using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GatewayStorage;

/// <summary>Adds the SQLite backend to GatewayStorage.</summary>
public static class SqliteGatewayStorageBuilderExtensions
{
    /// <summary>
    /// Lets GatewayStorage serve <c>sqlite:</c> URLs (the embedded default <c>sqlite:./data/gateway.db</c> among them).
    /// Calling it twice is safe.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddGatewayStorage</c>.</param>
    /// <returns>The same builder.</returns>
    public static GatewayStorageBuilder AddSqlite(this GatewayStorageBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDatabaseBackend, SqliteBackend>());
        return builder;
    }
}
