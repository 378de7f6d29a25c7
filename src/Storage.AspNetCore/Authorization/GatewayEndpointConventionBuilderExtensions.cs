using Microsoft.AspNetCore.Builder;

namespace GatewayStorage.AspNetCore;

/// <summary>Permission requirements on endpoints.</summary>
public static class GatewayEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires an authenticated user holding every one of <paramref name="permissions"/>:
    /// <c>app.MapPost("/tools/{name}", …).RequirePermission("tools:invoke")</c>. Unauthenticated gets 401, missing a permission 403.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint builder's type.</typeparam>
    /// <param name="builder">The endpoint builder.</param>
    /// <param name="permissions">The permissions.</param>
    /// <returns>The endpoint builder.</returns>
    /// <exception cref="ArgumentException">No permission, or an empty one, was given.</exception>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, params string[] permissions)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(permissions);

        // Built now, so a bad permission fails where the endpoint is mapped rather than on its first request.
        var policy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequirePermission(permissions).Build();
        return builder.RequireAuthorization(policy);
    }
}
