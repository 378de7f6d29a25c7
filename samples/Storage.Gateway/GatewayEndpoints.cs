using System.Security.Claims;
using GatewayStorage.AspNetCore;

namespace GatewayStorage.Gateway;

/// <summary>The protected API: who am I, and a tool call that needs a permission.</summary>
public static class GatewayEndpoints
{
    /// <summary>The rate-limiting policy every API-key endpoint uses.</summary>
    public const string PerKeyPolicy = "per-key";

    public static void MapGatewayEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().RequireRateLimiting(PerKeyPolicy);

        api.MapGet("/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            userId = user.FindFirstValue(GatewayClaimTypes.UserId),
            email = user.FindFirstValue(GatewayClaimTypes.Email),
            name = user.Identity?.Name,
            apiKeyId = user.FindFirstValue(GatewayClaimTypes.ApiKeyId),
            roles = Values(user, GatewayClaimTypes.Role),
            permissions = Values(user, GatewayClaimTypes.Permission),
            scopes = Values(user, GatewayClaimTypes.Scope),
        }));

        api.MapPost("/tools/{name}/invoke", (string name, ClaimsPrincipal user) =>
                Results.Ok(new { tool = name, invokedBy = user.FindFirstValue(GatewayClaimTypes.Email), result = "ok" }))
            .RequirePermission(GatewayPermissions.InvokeTools);
    }

    private static string[] Values(ClaimsPrincipal user, string type) => [.. user.FindAll(type).Select(c => c.Value)];
}
