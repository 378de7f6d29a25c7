namespace GatewayStorage.Relational;

/// <summary>Folds role rows joined with their permissions (one row per permission) back into roles, keeping order.</summary>
internal static class RoleRows
{
    public readonly record struct RoleRow(Role Head, string NormalizedName, string? Permission);

    public static RoleRow Read(in Row r) => new(
        new Role(r.Guid(0), r.Text(1), r.NullableText(2), [], r.Boolean(3), r.Time(4), r.Time(5), r.Int64(6)),
        r.Text(7),
        r.NullableText(8));

    public static List<Role> Fold(List<RoleRow> rows)
    {
        var roles = new List<Role>();
        var index = 0;
        while (index < rows.Count)
        {
            var head = rows[index].Head;
            var permissions = new List<string>();
            while (index < rows.Count && rows[index].Head.Id == head.Id)
            {
                if (rows[index].Permission is { } permission)
                {
                    permissions.Add(permission);
                }

                index++;
            }

            permissions.Sort(StringComparer.Ordinal);
            roles.Add(head with { Permissions = permissions });
        }

        return roles;
    }
}
