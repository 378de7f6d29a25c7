using System.Threading.RateLimiting;

namespace GatewayStorage.AspNetCore;

/// <summary>The answer of <see cref="ApiKeyUsageRateLimiter"/>: acquired, over the limit (with when to retry), or not counted.</summary>
internal sealed class ApiKeyUsageLease : RateLimitLease
{
    /// <summary>The reason phrase of a lease refused because the storage did not answer.</summary>
    public const string StorageUnavailable = "storage unavailable";

    /// <summary>The reason phrase of a lease refused because the key no longer exists.</summary>
    public const string UnknownKey = "unknown key";

    public static readonly ApiKeyUsageLease Acquired = new(acquired: true, retryAfter: null, reason: null);

    // Handed out by the synchronous attempt: the count lives in the database, so only the asynchronous path can decide.
    public static readonly ApiKeyUsageLease NotCounted = new(acquired: false, retryAfter: null, reason: null);

    private readonly TimeSpan? _retryAfter;
    private readonly string? _reason;

    private ApiKeyUsageLease(bool acquired, TimeSpan? retryAfter, string? reason)
    {
        IsAcquired = acquired;
        _retryAfter = retryAfter;
        _reason = reason;
    }

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames
    {
        get
        {
            if (_retryAfter is not null)
            {
                yield return MetadataName.RetryAfter.Name;
            }

            if (_reason is not null)
            {
                yield return MetadataName.ReasonPhrase.Name;
            }
        }
    }

    public static ApiKeyUsageLease OverLimit(TimeSpan retryAfter) => new(acquired: false, retryAfter, reason: null);

    public static ApiKeyUsageLease Refused(string reason, TimeSpan? retryAfter) => new(acquired: false, retryAfter, reason);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (metadataName == MetadataName.RetryAfter.Name && _retryAfter is { } retryAfter)
        {
            metadata = retryAfter;
            return true;
        }

        if (metadataName == MetadataName.ReasonPhrase.Name && _reason is not null)
        {
            metadata = _reason;
            return true;
        }

        metadata = null;
        return false;
    }
}
