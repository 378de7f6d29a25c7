namespace GatewayStorage.Relational;

/// <summary>
/// Every table of the schema that holds data, in dependency order (a table after the tables it references), with all
/// its stored columns. <c>schema_migrations</c> is not data: each database keeps its own.
/// </summary>
/// <remarks>A migration that adds a table or column updates this list; the copy round-trip test fails otherwise.</remarks>
internal static class PortableTables
{
    public const string KeyChecks = "key_checks";

    private static PortableColumn Id(string name = "id") => new(name, ColumnKind.Guid);

    private static PortableColumn Text(string name, bool nullable = false) => new(name, ColumnKind.Text, nullable);

    private static PortableColumn Time(string name, bool nullable = false) => new(name, ColumnKind.Time, nullable);

    private static PortableColumn Int64(string name) => new(name, ColumnKind.Int64);

    private static PortableColumn Bool(string name) => new(name, ColumnKind.Boolean);

    private static readonly string[] ById = ["id"];

    public static IReadOnlyList<PortableTable> All { get; } =
    [
        new(KeyChecks, ["key_id", "purpose"],
            Text("key_id"), Text("purpose"), new("check_value", ColumnKind.Bytes), Time("created_at")),
        new("users", ById,
            Id(), Text("email"), Text("normalized_email"), Text("display_name", true), Bool("is_active"),
            Time("created_at"), Time("updated_at"), Time("last_login_at", true), Int64("version")),
        new("roles", ById,
            Id(), Text("name"), Text("normalized_name"), Text("description", true), Bool("is_system"),
            Time("created_at"), Time("updated_at"), Int64("version")),
        new("role_permissions", ["role_id", "permission"], Id("role_id"), Text("permission")),
        new("user_roles", ["user_id", "role_id"], Id("user_id"), Id("role_id"), Time("assigned_at")),
        new("directory_mappings", ById,
            Id(), Text("group_name"), Text("normalized_group"), Id("role_id"), Text("description", true),
            Time("created_at"), Time("updated_at")),
        new("config_entries", ["key"],
            Text("key"), new("value", ColumnKind.Json), Int64("version"), Time("updated_at")),
        new("mcp_servers", ById,
            Id(), Text("name"), Text("normalized_name"), Text("url"), Text("description", true), Bool("is_enabled"),
            Time("created_at"), Time("updated_at"), Int64("version")),
        new("mcp_server_tags", ["server_id", "tag"], Id("server_id"), Text("tag")),
        new("oauth_providers", ById,
            Id(), Text("name"), Text("normalized_name"), Text("display_name", true), Text("client_id"), Text("client_secret"),
            Text("authorization_endpoint"), Text("token_endpoint"), Text("userinfo_endpoint", true), Text("scopes"),
            Bool("is_enabled"), Time("created_at"), Time("updated_at"), Int64("version")),
        new("oauth_tokens", ById,
            Id(), Id("user_id"), Id("provider_id"), Text("access_token"), Text("refresh_token", true), Text("token_type", true),
            Text("scopes"), Time("expires_at", true), Time("created_at"), Time("updated_at")),
        new("api_keys", ById,
            Id(), Id("user_id"), Text("name"), Text("public_id"), new("secret_hash", ColumnKind.Bytes), Text("scopes"),
            Time("created_at"), Time("expires_at", true), Time("last_used_at", true), Time("revoked_at", true)),
        new("api_key_usage", ["api_key_id", "window_seconds", "window_start"],
            Id("api_key_id"), new("window_seconds", ColumnKind.Int32), Time("window_start"), Int64("count")),
        new("credentials", ById,
            Id(), Text("username"), Text("secret"), Text("description", true), Int64("success_count"), Int64("failure_count"),
            Time("last_used_at", true), Time("created_at"), Time("updated_at"), Int64("version")),
        new("credential_tags", ById,
            Id(), Text("name"), Text("normalized_name"), Text("description", true), Time("created_at")),
        new("credential_tag_links", ["credential_id", "tag_id"],
            Id("credential_id"), Id("tag_id"), new("priority", ColumnKind.Int32)),
        new("sessions", ById,
            Id(), Id("user_id"), new("token_hash", ColumnKind.Bytes), Time("created_at"), Time("last_seen_at"),
            Time("expires_at"), Time("revoked_at", true), Text("ip_address", true), Text("user_agent", true)),
        new("single_use_tokens", ById,
            Id(), Text("purpose"), new("user_id", ColumnKind.Guid, true), new("token_hash", ColumnKind.Bytes),
            Time("created_at"), Time("expires_at"), Time("consumed_at", true)),
        new("audit_log", ById,
            Id(), Time("occurred_at"), Text("actor", true), Text("action"), Text("target_type", true), Text("target_id", true),
            Bool("succeeded"), Text("ip_address", true), new("details", ColumnKind.Json, true)),
    ];
}
