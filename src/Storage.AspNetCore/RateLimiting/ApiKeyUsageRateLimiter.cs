using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.AspNetCore;

/// <summary>
/// One API key's limiter: each permit is one <see cref="IApiKeyStore.IncrementApiKeyUsageAsync"/> in the current fixed
/// window, acquired while the window's count stays within the limit. The database holds the count, so every instance of
/// the application (each with its own limiter for the key) enforces one shared limit.
/// </summary>
internal sealed class ApiKeyUsageRateLimiter : RateLimiter
{
    private readonly IApiKeyStore _store;
    private readonly Guid _apiKeyId;
    private readonly GatewayApiKeyRateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastUsed;

    public ApiKeyUsageRateLimiter(IApiKeyStore store, Guid apiKeyId, GatewayApiKeyRateLimitOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _apiKeyId = apiKeyId;
        _options = options;
        _time = time;
        _logger = logger;
        _lastUsed = time.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => _time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        permitCount == 0 ? ApiKeyUsageLease.Acquired : ApiKeyUsageLease.NotCounted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0)
        {
            return ApiKeyUsageLease.Acquired;
        }

        Interlocked.Exchange(ref _lastUsed, _time.GetTimestamp());
        long count;
        try
        {
            count = await _store.IncrementApiKeyUsageAsync(_apiKeyId, _options.Window, cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            // Deleted between authentication and counting: no longer a key at all.
            return ApiKeyUsageLease.Refused(ApiKeyUsageLease.UnknownKey, retryAfter: null);
        }
        catch (StorageException ex)
        {
            GatewayApiKeyLog.RateLimitStorageUnavailable(_logger, _apiKeyId, ex);
            return ApiKeyUsageLease.Refused(ApiKeyUsageLease.StorageUnavailable, TimeSpan.FromSeconds(_options.StorageUnavailableRetryAfterSeconds));
        }

        if (count <= _options.PermitLimit)
        {
            return ApiKeyUsageLease.Acquired;
        }

        GatewayApiKeyLog.RateLimited(_logger, _apiKeyId, _options.PermitLimit, _options.Window);
        return ApiKeyUsageLease.OverLimit(UntilNextWindow());
    }

    /// <summary>Whole seconds until the current window ends (windows are aligned to the Unix epoch, as the store counts them).</summary>
    private TimeSpan UntilNextWindow()
    {
        var windowSeconds = (long)_options.Window.TotalSeconds;
        var unixSeconds = _time.GetUtcNow().ToUnixTimeSeconds();
        var elapsed = ((unixSeconds % windowSeconds) + windowSeconds) % windowSeconds;
        return TimeSpan.FromSeconds(windowSeconds - elapsed);
    }
}
