using Microsoft.AspNetCore.Authorization;

namespace GatewayStorage.AspNetCore;

/// <summary>Authorization policies from the permissions stored in GatewayStorage's roles.</summary>
public static class GatewayAuthorizationPolicyBuilderExtensions
{
    /// <summary>
    /// Requires every one of <paramref name="permissions"/> among the user's effective permissions (the
    /// <see cref="GatewayClaimTypes.Permission"/> claims, compared ordinally). An authenticated user without one gets 403.
    /// </summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="permissions">The permissions, for example <c>tools:invoke</c>.</param>
    /// <returns>The policy builder.</returns>
    /// <exception cref="ArgumentException">No permission, or an empty one, was given.</exception>
    public static AuthorizationPolicyBuilder RequirePermission(this AuthorizationPolicyBuilder builder, params string[] permissions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Length == 0)
        {
            throw new ArgumentException("Name at least one permission.", nameof(permissions));
        }

        builder.RequireAuthenticatedUser();
        foreach (var permission in permissions)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(permission, nameof(permissions));
            builder.RequireClaim(GatewayClaimTypes.Permission, permission);
        }

        return builder;
    }
}
