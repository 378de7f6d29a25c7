using Microsoft.Extensions.DependencyInjection;

namespace GatewayStorage;

/// <summary>Returned by <c>AddGatewayStorage</c>; backend packages extend it (<c>.AddSqlite()</c>, <c>.AddPostgres()</c>).</summary>
public sealed class GatewayStorageBuilder
{
    internal GatewayStorageBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection GatewayStorage is registered in.</summary>
    public IServiceCollection Services { get; }
}
