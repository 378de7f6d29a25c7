namespace GatewayStorage.AspNetCore;

/// <summary>Default values of the GatewayStorage API-key authentication scheme.</summary>
public static class GatewayApiKeyDefaults
{
    /// <summary>The scheme's default name: <c>GatewayApiKey</c>.</summary>
    public const string AuthenticationScheme = "GatewayApiKey";

    /// <summary>The realm named in the <c>WWW-Authenticate</c> challenge by default: <c>gateway</c>.</summary>
    public const string Realm = "gateway";
}
