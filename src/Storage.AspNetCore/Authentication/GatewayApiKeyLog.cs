using Microsoft.Extensions.Logging;

namespace GatewayStorage.AspNetCore;

/// <summary>The package's log messages (event ids 100–199). None carries a key or any part of one.</summary>
internal static partial class GatewayApiKeyLog
{
    [LoggerMessage(EventId = 100, EventName = "ApiKeyRejected", Level = LogLevel.Debug,
        Message = "Scheme {Scheme} rejected the request's API key: {Rejection}.")]
    public static partial void ApiKeyRejected(ILogger logger, string scheme, ApiKeyRejection rejection);

    [LoggerMessage(EventId = 101, EventName = "ApiKeyAuthenticated", Level = LogLevel.Debug,
        Message = "Scheme {Scheme} authenticated user {UserId} with API key {ApiKeyId}.")]
    public static partial void ApiKeyAuthenticated(ILogger logger, string scheme, Guid userId, Guid apiKeyId);

    [LoggerMessage(EventId = 102, EventName = "ApiKeyStorageUnavailable", Level = LogLevel.Warning,
        Message = "Scheme {Scheme} could not verify an API key: the storage did not answer; the request gets 503.")]
    public static partial void StorageUnavailable(ILogger logger, string scheme, Exception exception);

    [LoggerMessage(EventId = 110, EventName = "ApiKeyRateLimited", Level = LogLevel.Information,
        Message = "API key {ApiKeyId} went over its limit of {PermitLimit} requests per {Window}.")]
    public static partial void RateLimited(ILogger logger, Guid apiKeyId, int permitLimit, TimeSpan window);

    [LoggerMessage(EventId = 111, EventName = "RateLimitStorageUnavailable", Level = LogLevel.Warning,
        Message = "The usage of API key {ApiKeyId} could not be counted: the storage did not answer; the request gets 503.")]
    public static partial void RateLimitStorageUnavailable(ILogger logger, Guid apiKeyId, Exception exception);
}
