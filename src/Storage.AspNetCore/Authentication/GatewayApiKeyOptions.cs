using Microsoft.AspNetCore.Authentication;

namespace GatewayStorage.AspNetCore;

/// <summary>Options of the GatewayStorage API-key authentication scheme.</summary>
public sealed class GatewayApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>The longest presented value the scheme looks up: 512 characters. A longer one is rejected unread.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>
    /// A header that carries the bare key (for example <c>X-Api-Key</c>), read before <c>Authorization: Bearer</c>;
    /// <see langword="null"/> to read only <c>Authorization: Bearer &lt;key&gt;</c>. Defaults to <see langword="null"/>.
    /// </summary>
    public string? HeaderName { get; set; }

    /// <summary>The realm named in the <c>WWW-Authenticate</c> challenge. Defaults to <c>gateway</c>.</summary>
    public string Realm { get; set; } = GatewayApiKeyDefaults.Realm;

    /// <summary>
    /// The <c>Retry-After</c> value, in seconds, sent with the 503 answer when the storage cannot be reached to verify a key.
    /// Defaults to 5 seconds.
    /// </summary>
    public int StorageUnavailableRetryAfterSeconds { get; set; } = 5;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (HeaderName is not null && (HeaderName.Length == 0 || !HeaderName.All(IsTokenChar)))
        {
            throw new ArgumentException(
                $"GatewayApiKeyOptions.HeaderName '{HeaderName}' is not a valid HTTP header name; use letters, digits and '-' (for example X-Api-Key), or null for Authorization: Bearer only.",
                nameof(HeaderName));
        }

        if (string.IsNullOrWhiteSpace(Realm) || Realm.Contains('"', StringComparison.Ordinal) || Realm.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("GatewayApiKeyOptions.Realm must be non-empty text without quotes or backslashes.", nameof(Realm));
        }

        if (StorageUnavailableRetryAfterSeconds < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(StorageUnavailableRetryAfterSeconds), StorageUnavailableRetryAfterSeconds, "GatewayApiKeyOptions.StorageUnavailableRetryAfterSeconds must be at least 1.");
        }
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
