using System.Text;

namespace GatewayStorage;

/// <summary>What is needed to register (or re-register) an OAuth provider.</summary>
/// <param name="Name">The name, 1 to 100 characters, unique case-insensitively; the natural key of the upsert.</param>
/// <param name="ClientId">The OAuth client id, 1 to 500 characters.</param>
/// <param name="ClientSecret">The OAuth client secret, 1 to 4,000 characters; stored encrypted.</param>
/// <param name="AuthorizationEndpoint">The authorization endpoint (absolute https or http URL).</param>
/// <param name="TokenEndpoint">The token endpoint (absolute https or http URL).</param>
/// <param name="UserInfoEndpoint">The user-info endpoint, if any.</param>
/// <param name="Scopes">The scopes to request: distinct, in ordinal order (their order does not matter, RFC 6749 §3.3).</param>
/// <param name="DisplayName">The name to show on a sign-in page.</param>
/// <param name="IsEnabled">Whether users may sign in with it. Defaults to <see langword="true"/>.</param>
public sealed record OAuthProviderRegistration(
    string Name,
    string ClientId,
    string ClientSecret,
    Uri AuthorizationEndpoint,
    Uri TokenEndpoint,
    Uri? UserInfoEndpoint = null,
    IEnumerable<string>? Scopes = null,
    string? DisplayName = null,
    bool IsEnabled = true)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", ClientId = ").Append(ClientId)
            .Append(", ClientSecret = ").Append(Redaction.Mask)
            .Append(", IsEnabled = ").Append(IsEnabled);
        return true;
    }
}
