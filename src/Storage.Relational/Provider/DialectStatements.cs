namespace GatewayStorage.Relational;

/// <summary>The few statements that embed a dialect fragment, composed once per provider.</summary>
internal sealed class DialectStatements(SqlDialect dialect)
{
    public string InsertRolePermissions { get; } =
        $"INSERT INTO role_permissions (role_id, permission) SELECT @role_id, value FROM ({dialect.TextListSource("@permissions")}) AS p";

    public string InsertMcpServerTags { get; } =
        $"INSERT INTO mcp_server_tags (server_id, tag) SELECT @server_id, value FROM ({dialect.TextListSource("@tags")}) AS t";

    public string RolesForGroups { get; } =
        RoleSql.SelectWithPermissions +
        $" WHERE r.id IN (SELECT m.role_id FROM directory_mappings m WHERE m.normalized_group IN ({dialect.TextListSource("@groups")}))" +
        " ORDER BY r.normalized_name, p.permission";
}
