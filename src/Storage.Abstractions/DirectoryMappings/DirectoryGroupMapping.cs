namespace GatewayStorage;

/// <summary>Maps a directory (AD/LDAP) group to a role: members of the group hold the role.</summary>
/// <param name="Id">The mapping's id.</param>
/// <param name="Group">The group as configured, for example its distinguished name; compared case-insensitively.</param>
/// <param name="RoleId">The role the group's members hold.</param>
/// <param name="Description">A note on the mapping, if any.</param>
/// <param name="CreatedAt">When the mapping was created.</param>
/// <param name="UpdatedAt">When the mapping was last changed.</param>
public sealed record DirectoryGroupMapping(
    Guid Id,
    string Group,
    Guid RoleId,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
