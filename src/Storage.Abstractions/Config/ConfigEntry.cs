using System.Text.Json;

namespace GatewayStorage;

/// <summary>A configuration value: a JSON document under a key.</summary>
/// <param name="Key">The key, for example <c>gateway.rate-limit</c>.</param>
/// <param name="Value">The JSON value. PostgreSQL may normalise its spelling (key order, white space); the document is equal.</param>
/// <param name="Version">The optimistic-concurrency version, 1 after the first set.</param>
/// <param name="UpdatedAt">When the value was last set.</param>
public sealed record ConfigEntry(string Key, JsonElement Value, long Version, DateTimeOffset UpdatedAt);
