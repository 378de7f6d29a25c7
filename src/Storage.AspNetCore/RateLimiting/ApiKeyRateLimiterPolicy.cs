using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace GatewayStorage.AspNetCore;

/// <summary>
/// Partitions requests by the API key that authenticated them (<see cref="GatewayClaimTypes.ApiKeyId"/>), one
/// <see cref="ApiKeyUsageRateLimiter"/> per key. Requests not authenticated by a key are not limited here (authorization
/// turns them away). Over the limit: 429 with <c>Retry-After</c>; usage not countable: 503 with <c>Retry-After</c>.
/// </summary>
internal sealed class ApiKeyRateLimiterPolicy : IRateLimiterPolicy<Guid>
{
    private readonly GatewayApiKeyRateLimitOptions _options;

    public ApiKeyRateLimiterPolicy(GatewayApiKeyRateLimitOptions options) => _options = options;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => static (context, _) =>
    {
        var response = context.HttpContext.Response;
        context.Lease.TryGetMetadata(MetadataName.ReasonPhrase, out var reason);
        response.StatusCode = reason switch
        {
            ApiKeyUsageLease.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
            ApiKeyUsageLease.UnknownKey => StatusCodes.Status401Unauthorized,
            _ => StatusCodes.Status429TooManyRequests,
        };
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers[HeaderNames.RetryAfter] = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return ValueTask.CompletedTask;
    };

    public RateLimitPartition<Guid> GetPartition(HttpContext httpContext)
    {
        var claim = httpContext.User.FindFirst(GatewayClaimTypes.ApiKeyId)?.Value;
        if (claim is null || !Guid.TryParse(claim, out var apiKeyId))
        {
            return RateLimitPartition.GetNoLimiter(Guid.Empty);
        }

        var services = httpContext.RequestServices;
        return RateLimitPartition.Get(apiKeyId, id => new ApiKeyUsageRateLimiter(
            services.GetRequiredService<IApiKeyStore>(),
            id,
            _options,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("GatewayStorage.AspNetCore.RateLimiting")));
    }
}
