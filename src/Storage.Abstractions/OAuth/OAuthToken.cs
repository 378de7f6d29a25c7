using System.Text;

namespace GatewayStorage;

/// <summary>The OAuth tokens a user holds from one provider.</summary>
/// <param name="Id">The token row's id.</param>
/// <param name="UserId">The user the tokens belong to.</param>
/// <param name="Provider">The provider's name.</param>
/// <param name="AccessToken">The access token; stored encrypted and never shown by <see cref="ToString"/>.</param>
/// <param name="RefreshToken">The refresh token, if any; stored encrypted and never shown by <see cref="ToString"/>.</param>
/// <param name="TokenType">The token type, for example <c>Bearer</c>.</param>
/// <param name="Scopes">The granted scopes: distinct, in ordinal order (their order does not matter, RFC 6749 §3.3).</param>
/// <param name="ExpiresAt">When the access token expires, if known.</param>
/// <param name="CreatedAt">When the tokens were first stored.</param>
/// <param name="UpdatedAt">When the tokens were last replaced.</param>
public sealed record OAuthToken(
    Guid Id,
    Guid UserId,
    string Provider,
    string AccessToken,
    string? RefreshToken,
    string? TokenType,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", UserId = ").Append(UserId)
            .Append(", Provider = ").Append(Provider)
            .Append(", AccessToken = ").Append(Redaction.Mask)
            .Append(", RefreshToken = ").Append(RefreshToken is null ? "null" : Redaction.Mask)
            .Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }
}
