namespace GatewayStorage.Relational;

/// <summary>
/// Names the entity and field behind every unique index of the schema, so that both engines report a
/// duplicate the same way: PostgreSQL names the index, SQLite names <c>table.column</c>.
/// </summary>
internal static class UniqueIndexCatalog
{
    private static readonly (string Index, string Table, string Columns, string Entity, string Field)[] Entries =
    [
        ("users_pkey", "users", "id", "User", "Id"),
        ("ux_users_normalized_email", "users", "normalized_email", "User", "Email"),
        ("roles_pkey", "roles", "id", "Role", "Id"),
        ("ux_roles_normalized_name", "roles", "normalized_name", "Role", "Name"),
        ("directory_mappings_pkey", "directory_mappings", "id", "DirectoryGroupMapping", "Id"),
        ("ux_directory_mappings_group_role", "directory_mappings", "normalized_group, role_id", "DirectoryGroupMapping", "Group"),
        ("config_entries_pkey", "config_entries", "key", "ConfigEntry", "Key"),
        ("mcp_servers_pkey", "mcp_servers", "id", "McpServer", "Id"),
        ("ux_mcp_servers_normalized_name", "mcp_servers", "normalized_name", "McpServer", "Name"),
        ("oauth_providers_pkey", "oauth_providers", "id", "OAuthProvider", "Id"),
        ("ux_oauth_providers_normalized_name", "oauth_providers", "normalized_name", "OAuthProvider", "Name"),
        ("oauth_tokens_pkey", "oauth_tokens", "id", "OAuthToken", "Id"),
        ("ux_oauth_tokens_user_provider", "oauth_tokens", "user_id, provider_id", "OAuthToken", "Provider"),
        ("api_keys_pkey", "api_keys", "id", "ApiKey", "Id"),
        ("ux_api_keys_public_id", "api_keys", "public_id", "ApiKey", "PublicId"),
        ("credentials_pkey", "credentials", "id", "Credential", "Id"),
        ("credential_tags_pkey", "credential_tags", "id", "CredentialTag", "Id"),
        ("ux_credential_tags_normalized_name", "credential_tags", "normalized_name", "CredentialTag", "Name"),
        ("sessions_pkey", "sessions", "id", "LoginSession", "Id"),
        ("ux_sessions_token_hash", "sessions", "token_hash", "LoginSession", "Token"),
        ("single_use_tokens_pkey", "single_use_tokens", "id", "SingleUseToken", "Id"),
        ("ux_single_use_tokens_token_hash", "single_use_tokens", "token_hash", "SingleUseToken", "Token"),
        ("audit_log_pkey", "audit_log", "id", "AuditEntry", "Id"),
        ("role_permissions_pkey", "role_permissions", "role_id, permission", "RolePermission", "Permission"),
        ("user_roles_pkey", "user_roles", "user_id, role_id", "UserRole", "Role"),
        ("mcp_server_tags_pkey", "mcp_server_tags", "server_id, tag", "McpServerTag", "Tag"),
        ("api_key_usage_pkey", "api_key_usage", "api_key_id, window_seconds, window_start", "ApiKeyUsage", "Window"),
        ("credential_tag_links_pkey", "credential_tag_links", "credential_id, tag_id", "CredentialTagLink", "Tag"),
        ("schema_migrations_pkey", "schema_migrations", "version", "AppliedMigration", "Version"),
        ("key_checks_pkey", "key_checks", "key_id, purpose", "KeyCheck", "KeyId"),
    ];

    /// <summary>Finds the entity and field of an index name or a <c>table.column, …</c> list.</summary>
    public static (string Entity, string Field) Describe(string? constraint)
    {
        if (constraint is not null)
        {
            if (TryDescribe(constraint, out var known))
            {
                return known;
            }

            var dot = constraint.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                return (constraint[..dot], constraint[(dot + 1)..]);
            }
        }

        return ("entity", "key");
    }

    /// <summary>Whether the catalog names an index (PostgreSQL) or a <c>table.column, …</c> list (SQLite).</summary>
    public static bool TryDescribe(string constraint, out (string Entity, string Field) described)
    {
        foreach (var e in Entries)
        {
            if (constraint == e.Index || constraint == Qualified(e.Table, e.Columns))
            {
                described = (e.Entity, e.Field);
                return true;
            }
        }

        described = default;
        return false;
    }

    private static string Qualified(string table, string columns) =>
        string.Join(", ", columns.Split(", ").Select(c => table + "." + c));
}
