namespace GatewayStorage.Relational;

/// <summary>Reads role rows joined with their permissions (one row per permission) and folds them back into roles.</summary>
internal static class RoleRows
{
    public static (Role Role, string? Permission) Read(in Row r) => (
        new Role(r.Guid(0), r.Text(1), r.NullableText(2), [], r.Boolean(3), r.Time(4), r.Time(5), r.Int64(6)),
        r.NullableText(8));

    public static List<Role> Fold(List<(Role Role, string? Permission)> rows) =>
        ChildRows.Fold(rows, static r => r.Id, static (r, permissions) => r with { Permissions = permissions });
}
