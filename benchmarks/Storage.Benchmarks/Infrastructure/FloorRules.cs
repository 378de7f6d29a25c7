using GatewayStorage.Security;
namespace GatewayStorage.Benchmarks.Floor;

/// <summary>The checks both floors make, the same the library makes before (and after) its I/O.</summary>
internal static class FloorRules
{
    public const int ListLookAhead = 1;

    private const int SecondsPerDay = 86_400;

    /// <summary>The email as given and its normalised form (the library's rule and normalisation).</summary>
    public static (string Email, string Normalized) Email(string email)
    {
        var valid = EmailAddress.Validate(email, nameof(email));
        return (valid, Check.Normalize(valid));
    }

    public static string? DisplayName(string? displayName) => Check.OptionalText(displayName, nameof(displayName), 200);

    public static void ConfigKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > 200)
        {
            throw new ArgumentException("The key is too long.", nameof(key));
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':' or '/'))
            {
                throw new ArgumentException("A config key may contain only ASCII letters, digits and . _ - : /.", nameof(key));
            }
        }
    }

    /// <summary>The window's length in seconds and its start, aligned to the Unix epoch in UTC (as the library does).</summary>
    public static (int Seconds, DateTimeOffset Start) Window(DateTimeOffset now, TimeSpan window)
    {
        if (window.Ticks % TimeSpan.TicksPerSecond != 0 || window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromDays(1)
            || SecondsPerDay % (int)window.TotalSeconds != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window));
        }

        var seconds = (int)(window.Ticks / TimeSpan.TicksPerSecond);
        var unixSeconds = now.ToUnixTimeSeconds();
        var remainder = ((unixSeconds % seconds) + seconds) % seconds;
        return (seconds, DateTimeOffset.FromUnixTimeSeconds(unixSeconds - remainder));
    }

    /// <summary>The last-used time at or before which a verify writes again.</summary>
    public static DateTimeOffset LastUsedThreshold(DateTimeOffset now, TimeSpan interval) =>
        interval.Ticks <= now.UtcTicks ? StorageTime.Normalize(now - interval) : DateTimeOffset.MinValue;

    public static string[] Scopes(string stored) =>
        stored.Length == 0 ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether a found key may be used now (not revoked, not expired).</summary>
    public static bool IsUsable(ApiKey key, DateTimeOffset now) =>
        key.RevokedAt is null && (key.ExpiresAt is not { } expiresAt || expiresAt > now);

    /// <summary>
    /// The checks after the lookup, the same on every engine: the secret's hash, revocation, expiry, and whether the
    /// last-used time is due to be written (returned as the threshold to write with, or null when it is not due).
    /// </summary>
    public static bool Accepts(
        ApiKey key, byte[] hash, string presentedKey, ApiKeyHasher hasher, DateTimeOffset now, TimeSpan lastUsedInterval, out DateTimeOffset? touchThreshold)
    {
        touchThreshold = null;
        if (!hasher.Matches(presentedKey.AsSpan(presentedKey.Length - ApiKeyFormat.SecretLength), hash) || !IsUsable(key, now))
        {
            return false;
        }

        var threshold = LastUsedThreshold(now, lastUsedInterval);
        if (key.LastUsedAt is not { } lastUsedAt || lastUsedAt <= threshold)
        {
            touchThreshold = threshold;
        }

        return true;
    }
}
