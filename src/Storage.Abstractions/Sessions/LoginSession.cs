namespace GatewayStorage;

/// <summary>A user's signed-in session. Only a hash of the session token is stored.</summary>
/// <param name="Id">The session's id.</param>
/// <param name="UserId">The signed-in user.</param>
/// <param name="CreatedAt">When the session started.</param>
/// <param name="LastSeenAt">When the session was last touched.</param>
/// <param name="ExpiresAt">When the session ends.</param>
/// <param name="RevokedAt">When the session was revoked, if it was.</param>
/// <param name="IpAddress">The client address the session started from, if known.</param>
/// <param name="UserAgent">The client's user agent, if known.</param>
public sealed record LoginSession(
    Guid Id,
    Guid UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? IpAddress,
    string? UserAgent);
