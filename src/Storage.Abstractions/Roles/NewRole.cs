namespace GatewayStorage;

/// <summary>What is needed to create a role.</summary>
/// <param name="Name">The name, 1 to 100 characters, unique case-insensitively.</param>
/// <param name="Description">What the role is for, at most 1,000 characters.</param>
/// <param name="Permissions">The permissions, each 1 to 200 characters without white space; duplicates are dropped.</param>
/// <param name="IsSystem">Whether the role is built in and may not be deleted. Defaults to <see langword="false"/>.</param>
public sealed record NewRole(
    string Name,
    string? Description = null,
    IEnumerable<string>? Permissions = null,
    bool IsSystem = false);
