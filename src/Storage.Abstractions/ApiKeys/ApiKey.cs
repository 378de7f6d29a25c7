namespace GatewayStorage;

/// <summary>An API key's stored description. The secret itself is never stored: only a keyed hash of it.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="UserId">The user the key acts for.</param>
/// <param name="Name">A name the user gave the key.</param>
/// <param name="PublicId">The public part of the key (shown in a UI to tell keys apart); not a secret.</param>
/// <param name="Scopes">The scopes the key grants.</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="ExpiresAt">When the key stops working, if ever.</param>
/// <param name="LastUsedAt">When the key was last verified, to within the configured interval.</param>
/// <param name="RevokedAt">When the key was revoked, if it was.</param>
public sealed record ApiKey(
    Guid Id,
    Guid UserId,
    string Name,
    string PublicId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the key was revoked.</summary>
    public bool IsRevoked => RevokedAt is not null;
}
