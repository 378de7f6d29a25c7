namespace GatewayStorage.Relational;

/// <summary>The statements of the user store; standard SQL that runs unchanged on both engines.</summary>
internal static class UserSql
{
    public const string Columns = "id, email, display_name, is_active, created_at, updated_at, last_login_at, version";

    private const string PrefixedColumns = "u.id, u.email, u.display_name, u.is_active, u.created_at, u.updated_at, u.last_login_at, u.version";

    public const string Insert =
        "INSERT INTO users (id, email, normalized_email, display_name, is_active, created_at, updated_at, version) " +
        "VALUES (@id, @email, @normalized_email, @display_name, @is_active, @now, @now, 1) RETURNING " + Columns;

    // ON CONFLICT … DO UPDATE keeps the row (and its role assignments); INSERT OR REPLACE would delete them.
    public const string Upsert =
        "INSERT INTO users (id, email, normalized_email, display_name, is_active, created_at, updated_at, version) " +
        "VALUES (@id, @email, @normalized_email, @display_name, @is_active, @now, @now, 1) " +
        "ON CONFLICT (normalized_email) DO UPDATE SET display_name = excluded.display_name, is_active = excluded.is_active, " +
        "updated_at = excluded.updated_at, version = users.version + 1 RETURNING " + Columns;

    public const string GetById = "SELECT " + Columns + " FROM users WHERE id = @id";

    public const string GetByEmail = "SELECT " + Columns + " FROM users WHERE normalized_email = @normalized_email";

    public const string Update =
        "UPDATE users SET email = @email, normalized_email = @normalized_email, display_name = @display_name, is_active = @is_active, " +
        "updated_at = @now, version = version + 1 WHERE id = @id AND version = @version RETURNING " + Columns;

    public const string Delete = "DELETE FROM users WHERE id = @id";

    // A write that changes nothing: it takes the row lock (PostgreSQL: FOR NO KEY UPDATE, which child inserts' key-share
    // locks do not wait for) so that bounded per-user lists are counted by one writer at a time.
    public const string LockRow = "UPDATE users SET version = version WHERE id = @user_id";

    public const string RecordLogin = "UPDATE users SET last_login_at = @now WHERE id = @id";

    public const string Filter =
        "(@pattern IS NULL OR normalized_email LIKE @pattern ESCAPE '\\') AND (@is_active IS NULL OR is_active = @is_active)";

    public const string ListFirst = "SELECT " + Columns + " FROM users WHERE " + Filter + " ORDER BY id LIMIT @limit";

    public const string ListAfter = "SELECT " + Columns + " FROM users WHERE id > @after AND " + Filter + " ORDER BY id LIMIT @limit";

    public const string Count = "SELECT COUNT(*) FROM users WHERE " + Filter;

    public const string InRoleFirst =
        "SELECT " + PrefixedColumns + " FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE ur.role_id = @role_id ORDER BY u.id LIMIT @limit";

    public const string InRoleAfter =
        "SELECT " + PrefixedColumns + " FROM users u JOIN user_roles ur ON ur.user_id = u.id WHERE ur.role_id = @role_id AND u.id > @after ORDER BY u.id LIMIT @limit";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static User Read(in Row r) => new(
        r.Guid(0), r.Text(1), r.NullableText(2), r.Boolean(3), r.Time(4), r.Time(5), r.NullableTime(6), r.Int64(7));

    public const string StreamFirst = "SELECT " + Columns + " FROM users ORDER BY id LIMIT @limit";

    public const string StreamAfter = "SELECT " + Columns + " FROM users WHERE id > @after ORDER BY id LIMIT @limit";
}
