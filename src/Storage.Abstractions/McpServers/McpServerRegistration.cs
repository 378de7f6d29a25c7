namespace GatewayStorage;

/// <summary>What is needed to register (or re-register) an MCP server.</summary>
/// <param name="Name">The name, 1 to 100 characters, unique case-insensitively; the natural key of the upsert.</param>
/// <param name="Url">The endpoint: an absolute http, https, ws or wss URL of at most 2,048 characters.</param>
/// <param name="Description">What the server offers, at most 1,000 characters.</param>
/// <param name="IsEnabled">Whether the gateway routes to it. Defaults to <see langword="true"/>.</param>
/// <param name="Tags">
/// The tags (1 to 64 characters of letters, digits and <c>. _ - :</c>, stored lower-case). <see langword="null"/>
/// keeps the tags of an existing registration; an empty list removes them.
/// </param>
public sealed record McpServerRegistration(
    string Name,
    Uri Url,
    string? Description = null,
    bool IsEnabled = true,
    IEnumerable<string>? Tags = null);
