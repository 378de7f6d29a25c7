using System.Text;

namespace GatewayStorage;

/// <summary>An OAuth / OpenID Connect identity provider the gateway signs users in with.</summary>
/// <param name="Id">The provider's id.</param>
/// <param name="Name">The provider's name, for example <c>github</c>; unique, compared case-insensitively.</param>
/// <param name="DisplayName">The name to show on a sign-in page, if any.</param>
/// <param name="ClientId">The OAuth client id.</param>
/// <param name="ClientSecret">The OAuth client secret; stored encrypted and never shown by <see cref="ToString"/>.</param>
/// <param name="AuthorizationEndpoint">The authorization endpoint.</param>
/// <param name="TokenEndpoint">The token endpoint.</param>
/// <param name="UserInfoEndpoint">The user-info endpoint, if any.</param>
/// <param name="Scopes">The scopes to request: distinct, in ordinal order (their order does not matter, RFC 6749 §3.3).</param>
/// <param name="IsEnabled">Whether users may sign in with the provider.</param>
/// <param name="CreatedAt">When the provider was registered.</param>
/// <param name="UpdatedAt">When the provider last changed.</param>
/// <param name="Version">The optimistic-concurrency version.</param>
public sealed record OAuthProvider(
    Guid Id,
    string Name,
    string? DisplayName,
    string ClientId,
    string ClientSecret,
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
            .Append(", ClientId = ").Append(ClientId)
            .Append(", ClientSecret = ").Append(Redaction.Mask)
            .Append(", IsEnabled = ").Append(IsEnabled)
            .Append(", Version = ").Append(Version);
        return true;
    }
}
