namespace GatewayStorage;

/// <summary>A role: a named set of permissions that users are assigned.</summary>
/// <param name="Id">The role's id.</param>
/// <param name="Name">The role's name; unique, compared case-insensitively.</param>
/// <param name="Description">What the role is for, if stated.</param>
/// <param name="Permissions">The role's permissions, distinct and in ordinal order.</param>
/// <param name="IsSystem">Whether the role is built in; system roles cannot be deleted.</param>
/// <param name="CreatedAt">When the role was created.</param>
/// <param name="UpdatedAt">When the role was last changed.</param>
/// <param name="Version">The optimistic-concurrency version.</param>
public sealed record Role(
    Guid Id,
    string Name,
    string? Description,
    IReadOnlyList<string> Permissions,
    bool IsSystem,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
