namespace GatewayStorage;

/// <summary>An MCP (Model Context Protocol) server registered with the gateway.</summary>
/// <param name="Id">The registration's id.</param>
/// <param name="Name">The server's name; unique, compared case-insensitively.</param>
/// <param name="Url">The server's endpoint (absolute http, https, ws or wss URL).</param>
/// <param name="Description">What the server offers, if stated.</param>
/// <param name="IsEnabled">Whether the gateway routes to the server.</param>
/// <param name="Tags">The server's tags, lower-case, distinct and in ordinal order.</param>
/// <param name="CreatedAt">When the server was first registered.</param>
/// <param name="UpdatedAt">When the registration last changed.</param>
/// <param name="Version">The optimistic-concurrency version.</param>
public sealed record McpServer(
    Guid Id,
    string Name,
    Uri Url,
    string? Description,
    bool IsEnabled,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
