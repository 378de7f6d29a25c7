namespace GatewayStorage;

/// <summary>A role assigned to a user, as stored.</summary>
/// <param name="UserId">The user's id.</param>
/// <param name="RoleId">The role's id.</param>
/// <param name="AssignedAt">When the role was assigned.</param>
public sealed record UserRoleAssignment(Guid UserId, Guid RoleId, DateTimeOffset AssignedAt);
