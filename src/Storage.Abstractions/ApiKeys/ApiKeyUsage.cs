namespace GatewayStorage;

/// <summary>How often an API key was used in one fixed time window.</summary>
/// <param name="ApiKeyId">The key.</param>
/// <param name="WindowStart">The start of the window (UTC).</param>
/// <param name="WindowLength">The window's length.</param>
/// <param name="Count">How many uses were counted in the window.</param>
public sealed record ApiKeyUsage(Guid ApiKeyId, DateTimeOffset WindowStart, TimeSpan WindowLength, long Count);
