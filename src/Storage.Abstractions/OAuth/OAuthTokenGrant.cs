using System.Text;

namespace GatewayStorage;

/// <summary>Tokens a provider granted a user, to store (replacing the user's previous tokens from that provider).</summary>
/// <param name="UserId">The user.</param>
/// <param name="Provider">The provider's name.</param>
/// <param name="AccessToken">The access token, 1 to 16,000 characters; stored encrypted.</param>
/// <param name="RefreshToken">The refresh token, if any; stored encrypted.</param>
/// <param name="ExpiresAt">When the access token expires, if known.</param>
/// <param name="Scopes">The granted scopes: distinct, in ordinal order (their order does not matter, RFC 6749 §3.3).</param>
/// <param name="TokenType">The token type. Defaults to <c>Bearer</c>.</param>
public sealed record OAuthTokenGrant(
    Guid UserId,
    string Provider,
    string AccessToken,
    string? RefreshToken = null,
    DateTimeOffset? ExpiresAt = null,
    IEnumerable<string>? Scopes = null,
    string? TokenType = "Bearer")
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("UserId = ").Append(UserId)
            .Append(", Provider = ").Append(Provider)
            .Append(", AccessToken = ").Append(Redaction.Mask)
            .Append(", RefreshToken = ").Append(RefreshToken is null ? "null" : Redaction.Mask)
            .Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }
}
