namespace GatewayStorage.AspNetCore;

/// <summary>
/// The per-key limit of a GatewayStorage rate-limiting policy: at most <see cref="PermitLimit"/> requests per API key in
/// each fixed <see cref="Window"/>, counted in the database (<see cref="IApiKeyStore.IncrementApiKeyUsageAsync"/>), so every
/// instance of the application shares one count.
/// </summary>
public sealed class GatewayApiKeyRateLimitOptions
{
    /// <summary>How many requests one key may make in one window. Defaults to 60.</summary>
    public int PermitLimit { get; set; } = 60;

    /// <summary>
    /// The fixed window, aligned to the Unix epoch in UTC: whole seconds from 1 second to 1 day, dividing a day evenly.
    /// Defaults to 1 minute.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The <c>Retry-After</c> value, in seconds, of the 503 answer when the usage cannot be counted. Defaults to 5 seconds.</summary>
    public int StorageUnavailableRetryAfterSeconds { get; set; } = 5;

    /// <summary>Throws when a value cannot work, naming the setting.</summary>
    internal void Validate()
    {
        if (PermitLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PermitLimit), PermitLimit, "GatewayApiKeyRateLimitOptions.PermitLimit must be at least 1.");
        }

        if (Window.Ticks % TimeSpan.TicksPerSecond != 0 || Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromDays(1)
            || TimeSpan.FromDays(1).Ticks % Window.Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(Window), Window, "GatewayApiKeyRateLimitOptions.Window must be whole seconds, from 1 second to 1 day, and divide a day evenly (e.g. 1 s, 1 min, 1 h).");
        }

        if (StorageUnavailableRetryAfterSeconds < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(StorageUnavailableRetryAfterSeconds), StorageUnavailableRetryAfterSeconds,
                "GatewayApiKeyRateLimitOptions.StorageUnavailableRetryAfterSeconds must be at least 1.");
        }
    }
}
