using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GatewayStorage.AspNetCore;

/// <summary>
/// Authenticates a request by the API key it presents: one indexed lookup in <see cref="IApiKeyStore"/>, then the
/// key's user and roles. Unknown, revoked, expired and malformed keys are challenged with 401 and
/// <c>WWW-Authenticate</c>; a storage that does not answer gives 503 with <c>Retry-After</c>. The key is never logged.
/// </summary>
internal sealed class GatewayApiKeyHandler : AuthenticationHandler<GatewayApiKeyOptions>
{
    private const string BearerPrefix = "Bearer ";

    // Per request: why the key was turned down, for the challenge.
    private static readonly object RejectionKey = new();

    private readonly IApiKeyStore _apiKeys;
    private readonly IUserStore _users;
    private readonly IRoleStore _roles;

    public GatewayApiKeyHandler(
        IOptionsMonitor<GatewayApiKeyOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IApiKeyStore apiKeys,
        IUserStore users,
        IRoleStore roles)
        : base(options, logger, encoder)
    {
        _apiKeys = apiKeys;
        _users = users;
        _roles = roles;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadPresentedKey(out var malformed);
        if (malformed)
        {
            return Reject(ApiKeyRejection.Malformed);
        }

        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        try
        {
            var key = await _apiKeys.VerifyApiKeyAsync(presented, Context.RequestAborted).ConfigureAwait(false);
            if (key is null)
            {
                return Reject(ApiKeyRejection.InvalidKey);
            }

            var user = await _users.GetUserAsync(key.UserId, Context.RequestAborted).ConfigureAwait(false);
            if (user is null || !user.IsActive)
            {
                return Reject(ApiKeyRejection.UserDisabled);
            }

            var roles = await _roles.GetUserRolesAsync(user.Id, Context.RequestAborted).ConfigureAwait(false);
            GatewayApiKeyLog.ApiKeyAuthenticated(Logger, Scheme.Name, user.Id, key.Id);
            return AuthenticateResult.Success(new AuthenticationTicket(CreatePrincipal(key, user, roles), Scheme.Name));
        }
        catch (StorageException ex)
        {
            GatewayApiKeyLog.StorageUnavailable(Logger, Scheme.Name, ex);
            return Reject(ApiKeyRejection.StorageUnavailable);
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var rejection = Context.Items.TryGetValue(RejectionKey, out var value) ? (ApiKeyRejection?)value : null;
        if (rejection == ApiKeyRejection.StorageUnavailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = Options.StorageUnavailableRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, Challenge(rejection));
    }

    /// <summary>The <c>WWW-Authenticate</c> value (RFC 6750): no error code when no key was presented.</summary>
    private string Challenge(ApiKeyRejection? rejection) => rejection switch
    {
        ApiKeyRejection.Malformed =>
            $"Bearer realm=\"{Options.Realm}\", error=\"invalid_request\", error_description=\"The API key header is empty, repeated or too long.\"",
        ApiKeyRejection.InvalidKey =>
            $"Bearer realm=\"{Options.Realm}\", error=\"invalid_token\", error_description=\"The API key is unknown, revoked, expired or malformed.\"",
        ApiKeyRejection.UserDisabled =>
            $"Bearer realm=\"{Options.Realm}\", error=\"invalid_token\", error_description=\"The API key's user is disabled.\"",
        _ => $"Bearer realm=\"{Options.Realm}\"",
    };

    private AuthenticateResult Reject(ApiKeyRejection rejection)
    {
        Context.Items[RejectionKey] = rejection;
        GatewayApiKeyLog.ApiKeyRejected(Logger, Scheme.Name, rejection);
        return AuthenticateResult.Fail(rejection switch
        {
            ApiKeyRejection.Malformed => "The API key header is empty, repeated or too long.",
            ApiKeyRejection.InvalidKey => "The API key is unknown, revoked, expired or malformed.",
            ApiKeyRejection.UserDisabled => "The API key's user is disabled.",
            _ => "The storage could not be reached to verify the API key.",
        });
    }

    /// <summary>
    /// The key from the configured header, else from <c>Authorization: Bearer</c>; <see langword="null"/> when the
    /// request carries neither (another scheme's <c>Authorization</c> value is left to that scheme).
    /// </summary>
    private string? ReadPresentedKey(out bool malformed)
    {
        malformed = false;
        if (Options.HeaderName is { } headerName && Request.Headers.TryGetValue(headerName, out var custom))
        {
            return Single(custom, out malformed);
        }

        if (!Request.Headers.TryGetValue(HeaderNames.Authorization, out var authorization))
        {
            return null;
        }

        var value = Single(authorization, out malformed);
        if (value is null)
        {
            return null;
        }

        if (value.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            malformed = true;
            return null;
        }

        if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value[BearerPrefix.Length..].Trim();
        malformed = token.Length == 0;
        return malformed ? null : token;
    }

    private static string? Single(StringValues values, out bool malformed)
    {
        var value = values.Count == 1 ? values[0]?.Trim() : null;
        malformed = string.IsNullOrEmpty(value) || value.Length > GatewayApiKeyOptions.MaxKeyLength;
        return malformed ? null : value;
    }

    private ClaimsPrincipal CreatePrincipal(ApiKey key, User user, IReadOnlyList<Role> roles)
    {
        var claims = new List<Claim>(8 + (roles.Count * 4) + key.Scopes.Count)
        {
            new(GatewayClaimTypes.UserId, user.Id.ToString()),
            new(GatewayClaimTypes.Email, user.Email),
            new(GatewayClaimTypes.Name, user.DisplayName ?? user.Email),
            new(GatewayClaimTypes.ApiKeyId, key.Id.ToString()),
            new(GatewayClaimTypes.ApiKeyName, key.Name),
        };

        // Effective permissions are the union of the roles' permissions (IRoleStore.GetEffectivePermissionsAsync's rule),
        // folded here from the roles already read instead of a fourth round trip.
        var permissions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            claims.Add(new Claim(GatewayClaimTypes.Role, role.Name));
            permissions.UnionWith(role.Permissions);
        }

        foreach (var permission in permissions)
        {
            claims.Add(new Claim(GatewayClaimTypes.Permission, permission));
        }

        foreach (var scope in key.Scopes)
        {
            claims.Add(new Claim(GatewayClaimTypes.Scope, scope));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, GatewayClaimTypes.Name, GatewayClaimTypes.Role));
    }
}
