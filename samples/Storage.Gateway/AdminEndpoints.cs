using GatewayStorage.AspNetCore;

namespace GatewayStorage.Gateway;

/// <summary>Creates roles, users and API keys; each route needs its own permission.</summary>
public static class AdminEndpoints
{
    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireRateLimiting(GatewayEndpoints.PerKeyPolicy);

        admin.MapPost("/roles", async (CreateRoleRequest request, IRoleStore roles, CancellationToken cancellationToken) =>
            {
                var role = await roles.CreateRoleAsync(new NewRole(request.Name, request.Description, request.Permissions), cancellationToken);
                return Results.Created($"/admin/roles/{role.Id}", new { id = role.Id, name = role.Name, permissions = role.Permissions });
            })
            .RequirePermission(GatewayPermissions.WriteRoles);

        admin.MapPost("/users", async (CreateUserRequest request, IUserStore users, IRoleStore roles, CancellationToken cancellationToken) =>
            {
                // Every role must exist before the user is created, so a typo creates nothing.
                var found = new List<Role>();
                foreach (var name in request.Roles ?? [])
                {
                    var role = await roles.GetRoleByNameAsync(name, cancellationToken);
                    if (role is null)
                    {
                        return Results.Problem($"There is no role '{name}'.", statusCode: StatusCodes.Status400BadRequest);
                    }

                    found.Add(role);
                }

                var user = await users.CreateUserAsync(new NewUser(request.Email, request.DisplayName), cancellationToken);
                foreach (var role in found)
                {
                    await roles.AssignRoleAsync(user.Id, role.Id, cancellationToken);
                }

                return Results.Created($"/admin/users/{user.Id}", new { id = user.Id, email = user.Email, roles = found.Select(r => r.Name) });
            })
            .RequirePermission(GatewayPermissions.WriteUsers);

        admin.MapPost("/users/{userId:guid}/keys", async (Guid userId, CreateKeyRequest request, IApiKeyStore keys, CancellationToken cancellationToken) =>
            {
                var created = await keys.CreateApiKeyAsync(new NewApiKey(userId, request.Name, request.ExpiresAt, request.Scopes), cancellationToken);

                // The one time the key is shown: in this response, to the admin who asked for it.
                return Results.Created($"/admin/keys/{created.Key.Id}", new
                {
                    id = created.Key.Id,
                    publicId = created.Key.PublicId,
                    key = created.Secret,
                    expiresAt = created.Key.ExpiresAt,
                    scopes = created.Key.Scopes,
                });
            })
            .RequirePermission(GatewayPermissions.WriteKeys);

        admin.MapDelete("/keys/{id:guid}", async (Guid id, IApiKeyStore keys, CancellationToken cancellationToken) =>
                await keys.RevokeApiKeyAsync(id, cancellationToken) ? Results.NoContent() : Results.NotFound())
            .RequirePermission(GatewayPermissions.WriteKeys);
    }
}

/// <summary>The body of <c>POST /admin/roles</c>.</summary>
public sealed record CreateRoleRequest(string Name, string? Description, string[]? Permissions);

/// <summary>The body of <c>POST /admin/users</c>.</summary>
public sealed record CreateUserRequest(string Email, string? DisplayName, string[]? Roles);

/// <summary>The body of <c>POST /admin/users/{id}/keys</c>.</summary>
public sealed record CreateKeyRequest(string Name, string[]? Scopes, DateTimeOffset? ExpiresAt);
