namespace GatewayStorage.Relational;

/// <summary>The statements of the MCP server store; standard SQL that runs unchanged on both engines.</summary>
internal static class McpServerSql
{
    /// <summary>Server columns 0–8 and one tag (column 9, null when it has none), one row per tag.</summary>
    private const string SelectWithTags =
        "SELECT s.id, s.name, s.url, s.description, s.is_enabled, s.created_at, s.updated_at, s.version, s.normalized_name, t.tag " +
        "FROM {0} s LEFT JOIN mcp_server_tags t ON t.server_id = s.id";

    // ON CONFLICT … DO UPDATE keeps the row (and its tags); INSERT OR REPLACE would delete them.
    public const string Upsert =
        "INSERT INTO mcp_servers (id, name, normalized_name, url, description, is_enabled, created_at, updated_at, version) " +
        "VALUES (@id, @name, @normalized_name, @url, @description, @is_enabled, @now, @now, 1) " +
        "ON CONFLICT (normalized_name) DO UPDATE SET name = excluded.name, url = excluded.url, description = excluded.description, " +
        "is_enabled = excluded.is_enabled, updated_at = excluded.updated_at, version = mcp_servers.version + 1 RETURNING id";

    public const string DeleteTags = "DELETE FROM mcp_server_tags WHERE server_id = @server_id";

    public const string Delete = "DELETE FROM mcp_servers WHERE id = @id";

    public static readonly string GetById = Compose("mcp_servers") + " WHERE s.id = @id ORDER BY t.tag";

    public static readonly string GetByName = Compose("mcp_servers") + " WHERE s.normalized_name = @normalized_name ORDER BY t.tag";

    private const string PageFilter =
        "(@is_enabled IS NULL OR is_enabled = @is_enabled) AND " +
        "(@tag IS NULL OR EXISTS (SELECT 1 FROM mcp_server_tags f WHERE f.server_id = mcp_servers.id AND f.tag = @tag))";

    public static readonly string ListFirst = Compose(
        "(SELECT * FROM mcp_servers WHERE " + PageFilter + " ORDER BY normalized_name LIMIT @limit)") + " ORDER BY s.normalized_name, t.tag";

    public static readonly string ListAfter = Compose(
        "(SELECT * FROM mcp_servers WHERE normalized_name > @after AND " + PageFilter + " ORDER BY normalized_name LIMIT @limit)") + " ORDER BY s.normalized_name, t.tag";

    private static string Compose(string source) => string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectWithTags, source);

    public static readonly string StreamFirst = Compose("(SELECT * FROM mcp_servers ORDER BY id LIMIT @limit)") + " ORDER BY s.id, t.tag";

    public static readonly string StreamAfter = Compose("(SELECT * FROM mcp_servers WHERE id > @after ORDER BY id LIMIT @limit)") + " ORDER BY s.id, t.tag";

    /// <summary>Reads a row of the server columns joined with one tag (null when it has none).</summary>
    public static (McpServer Server, string? Tag) ReadMcpServerRow(in Row r) => (
        new McpServer(r.Guid(0), r.Text(1), new Uri(r.Text(2), UriKind.Absolute), r.NullableText(3), r.Boolean(4), [], r.Time(5), r.Time(6), r.Int64(7)),
        r.NullableText(9));
}
