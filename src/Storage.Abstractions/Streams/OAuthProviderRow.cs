using System.Text;

namespace GatewayStorage;

/// <summary>
/// An OAuth provider as stored: the client secret is the stored ciphertext, never the secret. The ciphertext is bound
/// to this row's id and column, so it decrypts only in a row with the same id, under a key of the same key ring.
/// </summary>
/// <param name="Id">The provider's id.</param>
/// <param name="Name">The name, as registered.</param>
/// <param name="DisplayName">The display name, if any.</param>
/// <param name="ClientId">The OAuth client id.</param>
/// <param name="ClientSecretCiphertext">The encrypted client secret, as stored (<c>v1:&lt;key id&gt;:…</c>).</param>
/// <param name="AuthorizationEndpoint">The authorization endpoint.</param>
/// <param name="TokenEndpoint">The token endpoint.</param>
/// <param name="UserInfoEndpoint">The userinfo endpoint, if any.</param>
/// <param name="Scopes">The scopes, sorted ordinally.</param>
/// <param name="IsEnabled">Whether the provider is enabled.</param>
/// <param name="CreatedAt">When the provider was created.</param>
/// <param name="UpdatedAt">When the provider was last changed.</param>
/// <param name="Version">The version, incremented by every change.</param>
public sealed record OAuthProviderRow(
    Guid Id,
    string Name,
    string? DisplayName,
    string ClientId,
    string ClientSecretCiphertext,
    Uri AuthorizationEndpoint,
    Uri TokenEndpoint,
    Uri? UserInfoEndpoint,
    IReadOnlyList<string> Scopes,
    bool IsEnabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Name = ").Append(Name)
            .Append(", ClientSecretCiphertext = ").Append(Redaction.Mask)
            .Append(", Version = ").Append(Version);
        return true;
    }
}
