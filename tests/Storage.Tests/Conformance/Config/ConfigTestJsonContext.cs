using System.Text.Json.Serialization;

namespace GatewayStorage.Tests.Conformance.Config;

/// <summary>The source-generated contract the typed config tests read values with (the trim-safe path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RateLimitSettings))]
[JsonSerializable(typeof(int))]
internal sealed partial class ConfigTestJsonContext : JsonSerializerContext;

/// <summary>A typical typed config value: a number, a list and a flag.</summary>
internal sealed record RateLimitSettings(int RequestsPerMinute, IReadOnlyList<string> Paths, bool Enabled)
{
    public bool Matches(RateLimitSettings? other) =>
        other is not null
        && other.RequestsPerMinute == RequestsPerMinute
        && other.Enabled == Enabled
        && other.Paths.SequenceEqual(Paths);
}
