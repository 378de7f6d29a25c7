using Microsoft.AspNetCore.Authentication;

namespace GatewayStorage.AspNetCore;

/// <summary>Adds the GatewayStorage API-key scheme to ASP.NET Core authentication.</summary>
public static class GatewayApiKeyAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the API-key scheme under <see cref="GatewayApiKeyDefaults.AuthenticationScheme"/>: a request presents its key as
    /// <c>Authorization: Bearer &lt;key&gt;</c> (or in <see cref="GatewayApiKeyOptions.HeaderName"/>), which is verified with
    /// <see cref="IApiKeyStore"/>; the principal carries the user, roles, permissions and key scopes (<see cref="GatewayClaimTypes"/>).
    /// Needs GatewayStorage registered (<c>services.AddGatewayStorage(configuration)</c>).
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The authentication builder.</returns>
    public static AuthenticationBuilder AddGatewayApiKey(this AuthenticationBuilder builder) =>
        builder.AddGatewayApiKey(GatewayApiKeyDefaults.AuthenticationScheme, configure: null);

    /// <summary>Adds the API-key scheme with options; see <see cref="AddGatewayApiKey(AuthenticationBuilder)"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the options; may be <see langword="null"/>.</param>
    /// <returns>The authentication builder.</returns>
    public static AuthenticationBuilder AddGatewayApiKey(this AuthenticationBuilder builder, Action<GatewayApiKeyOptions>? configure) =>
        builder.AddGatewayApiKey(GatewayApiKeyDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the API-key scheme under a name of your choice; see <see cref="AddGatewayApiKey(AuthenticationBuilder)"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Sets the options; may be <see langword="null"/>.</param>
    /// <returns>The authentication builder.</returns>
    public static AuthenticationBuilder AddGatewayApiKey(this AuthenticationBuilder builder, string authenticationScheme, Action<GatewayApiKeyOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        return builder.AddScheme<GatewayApiKeyOptions, GatewayApiKeyHandler>(authenticationScheme, displayName: null, configure);
    }
}
