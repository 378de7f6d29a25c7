namespace GatewayStorage;

/// <summary>Filters for listing MCP servers. Every filter left <see langword="null"/> matches all servers.</summary>
/// <param name="Tag">Only servers with this tag (compared case-insensitively).</param>
/// <param name="IsEnabled">Only enabled (<see langword="true"/>) or only disabled (<see langword="false"/>) servers.</param>
public sealed record McpServerQuery(string? Tag = null, bool? IsEnabled = null)
{
    /// <summary>The query that matches every server.</summary>
    public static McpServerQuery All { get; } = new();
}
