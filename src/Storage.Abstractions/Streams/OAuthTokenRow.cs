using System.Text;

namespace GatewayStorage;

/// <summary>
/// An OAuth token as stored: the access and refresh tokens are the stored ciphertexts, never the tokens. Each
/// ciphertext is bound to this row's id and its column, so it decrypts only in a row with the same id.
/// </summary>
/// <param name="Id">The token's id.</param>
/// <param name="UserId">The user the token belongs to.</param>
/// <param name="ProviderId">The id of the provider that issued it.</param>
/// <param name="AccessTokenCiphertext">The encrypted access token, as stored.</param>
/// <param name="RefreshTokenCiphertext">The encrypted refresh token, as stored, or <see langword="null"/> when there is none.</param>
/// <param name="TokenType">The token type, if any.</param>
/// <param name="Scopes">The granted scopes, sorted ordinally.</param>
/// <param name="ExpiresAt">When the access token expires, if known.</param>
/// <param name="CreatedAt">When the token was first stored.</param>
/// <param name="UpdatedAt">When the token was last replaced.</param>
public sealed record OAuthTokenRow(
    Guid Id,
    Guid UserId,
    Guid ProviderId,
    string AccessTokenCiphertext,
    string? RefreshTokenCiphertext,
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
            .Append(", ProviderId = ").Append(ProviderId)
            .Append(", AccessTokenCiphertext = ").Append(Redaction.Mask)
            .Append(", RefreshTokenCiphertext = ").Append(RefreshTokenCiphertext is null ? "null" : Redaction.Mask);
        return true;
    }
}
