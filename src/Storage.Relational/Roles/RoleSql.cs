namespace GatewayStorage.Relational;

/// <summary>The statements of the role store; standard SQL that runs unchanged on both engines.</summary>
internal static class RoleSql
{
    /// <summary>Role columns 0–7 and its permission (column 8, null when it has none), one row per permission.</summary>
    public const string SelectWithPermissions =
        "SELECT r.id, r.name, r.description, r.is_system, r.created_at, r.updated_at, r.version, r.normalized_name, p.permission " +
        "FROM roles r LEFT JOIN role_permissions p ON p.role_id = r.id";

    public const string Insert =
        "INSERT INTO roles (id, name, normalized_name, description, is_system, created_at, updated_at, version) " +
        "VALUES (@id, @name, @normalized_name, @description, @is_system, @now, @now, 1)";

    public const string GetById = SelectWithPermissions + " WHERE r.id = @id ORDER BY p.permission";

    public const string GetByName = SelectWithPermissions + " WHERE r.normalized_name = @normalized_name ORDER BY p.permission";

    public const string Update =
        "UPDATE roles SET name = @name, normalized_name = @normalized_name, description = @description, updated_at = @now, " +
        "version = version + 1 WHERE id = @id AND version = @version RETURNING is_system, created_at";

    public const string DeletePermissions = "DELETE FROM role_permissions WHERE role_id = @role_id";

    public const string DeleteUnlessSystem = "DELETE FROM roles WHERE id = @id AND NOT is_system";

    public const string IsSystem = "SELECT is_system FROM roles WHERE id = @id";

    private const string PageOfRoles =
        "SELECT r.id, r.name, r.description, r.is_system, r.created_at, r.updated_at, r.version, r.normalized_name, p.permission " +
        "FROM ({0}) r LEFT JOIN role_permissions p ON p.role_id = r.id ORDER BY r.normalized_name, p.permission";

    public static readonly string ListFirst = string.Format(
        System.Globalization.CultureInfo.InvariantCulture, PageOfRoles, "SELECT * FROM roles ORDER BY normalized_name LIMIT @limit");

    public static readonly string ListAfter = string.Format(
        System.Globalization.CultureInfo.InvariantCulture, PageOfRoles, "SELECT * FROM roles WHERE normalized_name > @after ORDER BY normalized_name LIMIT @limit");

    public const string OfUser =
        SelectWithPermissions + " JOIN user_roles ur ON ur.role_id = r.id WHERE ur.user_id = @user_id ORDER BY r.normalized_name, p.permission";

    public const string Assign =
        "INSERT INTO user_roles (user_id, role_id, assigned_at) VALUES (@user_id, @role_id, @now) ON CONFLICT (user_id, role_id) DO NOTHING";

    public const string CountForUser = "SELECT COUNT(*) FROM user_roles WHERE user_id = @user_id";

    public const string Revoke = "DELETE FROM user_roles WHERE user_id = @user_id AND role_id = @role_id";

    public const string EffectivePermissions =
        "SELECT DISTINCT p.permission FROM user_roles ur JOIN role_permissions p ON p.role_id = ur.role_id WHERE ur.user_id = @user_id";

    private const string BatchOfRoles =
        "SELECT r.id, r.name, r.description, r.is_system, r.created_at, r.updated_at, r.version, r.normalized_name, p.permission " +
        "FROM ({0}) r LEFT JOIN role_permissions p ON p.role_id = r.id ORDER BY r.id, p.permission";

    public static readonly string StreamFirst = string.Format(
        System.Globalization.CultureInfo.InvariantCulture, BatchOfRoles, "SELECT * FROM roles ORDER BY id LIMIT @limit");

    public static readonly string StreamAfter = string.Format(
        System.Globalization.CultureInfo.InvariantCulture, BatchOfRoles, "SELECT * FROM roles WHERE id > @after ORDER BY id LIMIT @limit");

    private const string AssignmentColumns = "SELECT user_id, role_id, assigned_at FROM user_roles";

    public const string StreamAssignmentsFirst = AssignmentColumns + " ORDER BY user_id, role_id LIMIT @limit";

    public const string StreamAssignmentsAfter =
        AssignmentColumns + " WHERE user_id > @after_user OR (user_id = @after_user AND role_id > @after_role) ORDER BY user_id, role_id LIMIT @limit";
}
