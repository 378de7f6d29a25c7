namespace GatewayStorage;

/// <summary>What is needed to create (or upsert) a user.</summary>
/// <param name="Email">The email; at most 254 characters, compared case-insensitively and Unicode-aware.</param>
/// <param name="DisplayName">The name to show, at most 200 characters.</param>
/// <param name="IsActive">Whether the user may sign in. Defaults to <see langword="true"/>.</param>
public sealed record NewUser(string Email, string? DisplayName = null, bool IsActive = true);
