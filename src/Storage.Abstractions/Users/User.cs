namespace GatewayStorage;

/// <summary>A user of the gateway.</summary>
/// <param name="Id">The user's id (a time-ordered version 7 GUID).</param>
/// <param name="Email">The email as the user gave it; unique, compared case-insensitively.</param>
/// <param name="DisplayName">The name to show, if any.</param>
/// <param name="IsActive">Whether the user may sign in.</param>
/// <param name="CreatedAt">When the user was created (UTC, whole microseconds).</param>
/// <param name="UpdatedAt">When the user was last changed (UTC, whole microseconds).</param>
/// <param name="LastLoginAt">When the user last signed in, if ever.</param>
/// <param name="Version">The optimistic-concurrency version; pass the record back unchanged to update it.</param>
public sealed record User(
    Guid Id,
    string Email,
    string? DisplayName,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastLoginAt,
    long Version);
