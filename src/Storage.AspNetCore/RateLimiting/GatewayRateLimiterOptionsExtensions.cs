using Microsoft.AspNetCore.RateLimiting;

namespace GatewayStorage.AspNetCore;

/// <summary>Adds per-API-key rate limiting, counted in GatewayStorage, to ASP.NET Core's rate limiter.</summary>
public static class GatewayRateLimiterOptionsExtensions
{
    /// <summary>
    /// Adds a policy that allows each API key at most <see cref="GatewayApiKeyRateLimitOptions.PermitLimit"/> requests per
    /// <see cref="GatewayApiKeyRateLimitOptions.Window"/>, counted in the database so every instance shares the limit:
    /// <c>services.AddRateLimiter(o => o.AddGatewayApiKeyPolicy("per-key", l => l.PermitLimit = 100))</c>, then
    /// <c>app.UseRateLimiter()</c> after authentication and <c>.RequireRateLimiting("per-key")</c> on endpoints.
    /// Past the limit the answer is 429 with <c>Retry-After</c> (seconds until the window ends); when the storage does not
    /// answer, 503 with <c>Retry-After</c>. Requests without an API key pass through it unlimited.
    /// </summary>
    /// <param name="options">The rate limiter's options.</param>
    /// <param name="policyName">The policy's name.</param>
    /// <param name="configure">Sets the limit; may be <see langword="null"/> for 60 requests a minute.</param>
    /// <returns>The rate limiter's options.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The limit or the window cannot work.</exception>
    public static RateLimiterOptions AddGatewayApiKeyPolicy(this RateLimiterOptions options, string policyName, Action<GatewayApiKeyRateLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        var limit = new GatewayApiKeyRateLimitOptions();
        configure?.Invoke(limit);
        limit.Validate();
        return options.AddPolicy(policyName, new ApiKeyRateLimiterPolicy(limit));
    }
}
