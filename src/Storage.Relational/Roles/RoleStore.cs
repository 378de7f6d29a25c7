using System.Runtime.CompilerServices;
namespace GatewayStorage.Relational;

internal sealed class RoleStore(StoreContext context) : IRoleStore
{
    private const string Table = "roles";
    private const string UserRolesTable = "user_roles";

    private const string RolesList = "roles";

    /// <inheritdoc />
    public async Task<Role> CreateRoleAsync(NewRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var name = Check.Name(role.Name, nameof(NewRole.Name), 100);
        var description = Check.OptionalText(role.Description, nameof(NewRole.Description), 1000);
        var permissions = ValidatePermissions(role.Permissions);
        var now = context.Now();
        var id = context.NewId(now);

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            await session.Sql(RoleSql.Insert)
                .Guid("id", id)
                .Text("name", name)
                .Text("normalized_name", Check.Normalize(name))
                .Text("description", description)
                .Boolean("is_system", role.IsSystem)
                .Time("now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await InsertPermissionsAsync(session, id, permissions, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Role(id, name, description, permissions, role.IsSystem, now, now, 1);
    }

    /// <inheritdoc />
    public async Task<Role?> GetRoleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.Sql(RoleSql.GetById).Guid("id", id)
                .QueryAsync(RoleRows.Read, cancellationToken).ConfigureAwait(false);
            return RoleRows.Fold(rows).FirstOrDefault();
        }
    }

    /// <inheritdoc />
    public async Task<Role?> GetRoleByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), 100));
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.Sql(RoleSql.GetByName).Text("normalized_name", normalizedName)
                .QueryAsync(RoleRows.Read, cancellationToken).ConfigureAwait(false);
            return RoleRows.Fold(rows).FirstOrDefault();
        }
    }

    /// <inheritdoc />
    public async Task<Role> UpdateRoleAsync(Role role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var name = Check.Name(role.Name, nameof(Role.Name), 100);
        var description = Check.OptionalText(role.Description, nameof(Role.Description), 1000);
        var permissions = ValidatePermissions(role.Permissions ?? throw new ArgumentNullException(nameof(Role.Permissions), "The permissions must be given; an empty list removes them all."));
        var now = context.Now();
        bool isSystem;
        DateTimeOffset createdAt;

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            var stored = await session.Sql(RoleSql.Update)
                .Guid("id", role.Id)
                .Int64("version", role.Version)
                .Text("name", name)
                .Text("normalized_name", Check.Normalize(name))
                .Text("description", description)
                .Time("now", now)
                .QuerySingleOrDefaultAsync(static (in Row r) => (IsSystem: r.Boolean(0), CreatedAt: r.Time(1)), cancellationToken).ConfigureAwait(false);
            if (stored == default)
            {
                throw new ConcurrencyConflictException(nameof(Role), role.Id.ToString(), role.Version);
            }

            isSystem = stored.IsSystem;
            createdAt = stored.CreatedAt;
            await session.Sql(RoleSql.DeletePermissions).Guid("role_id", role.Id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await InsertPermissionsAsync(session, role.Id, permissions, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // The system flag and the creation time are the stored ones: an update never changes them.
        return new Role(role.Id, name, description, permissions, isSystem, createdAt, now, role.Version + 1);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteRoleAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            if (await session.Sql(RoleSql.DeleteUnlessSystem).Guid("id", id)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                return true;
            }

            // Nothing deleted: either there is no such role, or it is a system role (a flag that never changes).
            var isSystem = await session.Sql(RoleSql.IsSystem).Guid("id", id)
                .QuerySingleOrDefaultAsync(static (in Row r) => r.Boolean(0), cancellationToken).ConfigureAwait(false);
            return isSystem
                ? throw new ProtectedEntityException(nameof(Role), id.ToString(), "system roles cannot be deleted.")
                : false;
        }
    }

    /// <inheritdoc />
    public async Task<Page<Role>> ListRolesAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = KeysetCursor.Decode(RolesList, page.Cursor);
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? RoleSql.ListFirst : RoleSql.ListAfter).Int32("limit", page.Limit + 1);
            if (after is not null)
            {
                statement.Text("after", after);
            }

            var rows = await statement.QueryAsync(RoleRows.Read, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(RoleRows.Fold(rows), page, RolesList, static r => Check.Normalize(r.Name));
        }
    }

    /// <inheritdoc />
    public Task<bool> AssignRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default) =>
        context.WithReferencesAsync(
            AssignRoleCoreAsync(userId, roleId, cancellationToken), cancellationToken,
            (nameof(User), "users", userId),
            (nameof(Role), "roles", roleId));

    private async Task<bool> AssignRoleCoreAsync(Guid userId, Guid roleId, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var session = await context.WriteAsync(UserRolesTable, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            await PerUserLimit.LockUserAsync(session, userId, cancellationToken).ConfigureAwait(false);
            var added = await session.Sql(RoleSql.Assign).Guid("user_id", userId).Guid("role_id", roleId).Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
            await PerUserLimit.EnsureWithinAsync(session, userId, RoleSql.CountForUser, IRoleStore.MaxRolesPerUser, nameof(Role), cancellationToken)
                .ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            return added;
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(UserRolesTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(RoleSql.Revoke).Guid("user_id", userId).Guid("role_id", roleId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Role>> GetUserRolesAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadAsync(UserRolesTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.Sql(RoleSql.OfUser).Guid("user_id", userId)
                .QueryAsync(RoleRows.Read, cancellationToken).ConfigureAwait(false);
            return RoleRows.Fold(rows);
        }
    }

    /// <inheritdoc />
    public async Task<Page<User>> GetUsersInRoleAsync(Guid roleId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var list = "role-users:" + roleId.ToString();
        var after = KeysetCursor.DecodeGuid(list, page.Cursor);
        var session = await context.ReadLagTolerantAsync(UserRolesTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? UserSql.InRoleFirst : UserSql.InRoleAfter)
                .Guid("role_id", roleId)
                .Int32("limit", page.Limit + 1);
            if (after is { } afterId)
            {
                statement.Guid("after", afterId);
            }

            var rows = await statement.QueryAsync(UserSql.Read, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, list, static u => u.Id.ToString());
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadAsync(UserRolesTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var permissions = await session.Sql(RoleSql.EffectivePermissions).Guid("user_id", userId)
                .QueryAsync(static (in Row r) => r.Text(0), cancellationToken).ConfigureAwait(false);
            return new HashSet<string>(permissions, StringComparer.Ordinal);
        }
    }

    private async Task InsertPermissionsAsync(DbSession session, Guid roleId, List<string> permissions, CancellationToken cancellationToken)
    {
        if (permissions.Count > 0)
        {
            await session.Sql(context.Statements.InsertRolePermissions).Guid("role_id", roleId).TextList("permissions", permissions)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<string> ValidatePermissions(IEnumerable<string>? permissions)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var permission in permissions ?? [])
        {
            Check.Name(permission, "Permissions", 200);
            if (permission.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException("A permission must not contain white space.", "Permissions");
            }

            result.Add(permission);
        }

        if (result.Count > 1000)
        {
            throw new ArgumentException("A role may have at most 1,000 permissions.", "Permissions");
        }

        return [.. result];
    }

    /// <summary>Streams every role with its permissions, in id order (see <see cref="IDataStreams.StreamRolesAsync"/>).</summary>
    public IAsyncEnumerable<Role> StreamRolesAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, RoleSql.StreamFirst, RoleSql.StreamAfter, RoleRows.Read, RoleRows.Fold,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);

    /// <summary>Streams every user-role assignment (see <see cref="IDataStreams.StreamUserRolesAsync"/>).</summary>
    public IAsyncEnumerable<UserRoleAssignment> StreamUserRolesAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, UserRolesTable, RoleSql.StreamAssignmentsFirst, RoleSql.StreamAssignmentsAfter,
            static (in Row r) => new UserRoleAssignment(r.Guid(0), r.Guid(1), r.Time(2)),
            static (statement, last) => statement.Guid("after_user", last.UserId).Guid("after_role", last.RoleId), cancellationToken);
}
