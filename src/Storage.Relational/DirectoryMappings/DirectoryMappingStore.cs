using System.Runtime.CompilerServices;
namespace GatewayStorage.Relational;

internal sealed class DirectoryMappingStore(StoreContext context) : IDirectoryMappingStore
{
    private const string Table = "directory_mappings";

    private const string DirectoryMappingsList = "directory-mappings";

    /// <inheritdoc />
    public Task<DirectoryGroupMapping> UpsertDirectoryMappingAsync(string group, Guid roleId, string? description = null, CancellationToken cancellationToken = default)
    {
        Check.Name(group, nameof(group), 1000);
        Check.OptionalText(description, nameof(description), 1000);
        return context.WithReferencesAsync(
            UpsertDirectoryMappingCoreAsync(group, roleId, description, cancellationToken), cancellationToken,
            (nameof(Role), "roles", roleId));
    }

    private async Task<DirectoryGroupMapping> UpsertDirectoryMappingCoreAsync(string group, Guid roleId, string? description, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var now = context.Now();
        var session = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return (await session.Sql(DirectoryMappingSql.Upsert)
                .Guid("id", context.NewId(now))
                .Text("group_name", group)
                .Text("normalized_group", Check.Normalize(group))
                .Guid("role_id", roleId)
                .Text("description", description)
                .Time("now", now)
                .QuerySingleOrDefaultAsync(DirectoryMappingSql.ReadDirectoryMapping, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteDirectoryMappingAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(DirectoryMappingSql.Delete).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<Page<DirectoryGroupMapping>> ListDirectoryMappingsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = KeysetCursor.DecodeGuid(DirectoryMappingsList, page.Cursor);
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? DirectoryMappingSql.ListFirst : DirectoryMappingSql.ListAfter).Int32("limit", page.Limit + 1);
            if (after is { } afterId)
            {
                statement.Guid("after", afterId);
            }

            var rows = await statement.QueryAsync(DirectoryMappingSql.ReadDirectoryMapping, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, DirectoryMappingsList, static m => m.Id.ToString());
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Role>> GetRolesForGroupsAsync(IEnumerable<string> groups, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(groups);
        var normalized = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            normalized.Add(Check.Normalize(Check.Name(group, nameof(groups), 1000)));
            if (normalized.Count > 1000)
            {
                throw new ArgumentException("At most 1,000 groups may be looked up at once.", nameof(groups));
            }
        }

        if (normalized.Count == 0)
        {
            return [];
        }

        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.Sql(context.Statements.RolesForGroups).TextList("groups", [.. normalized])
                .QueryAsync(RoleRows.Read, cancellationToken).ConfigureAwait(false);
            return RoleRows.Fold(rows);
        }
    }

    /// <summary>Streams every mapping in id order (see <see cref="IDataStreams.StreamDirectoryMappingsAsync"/>).</summary>
    public IAsyncEnumerable<DirectoryGroupMapping> StreamDirectoryMappingsAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, DirectoryMappingSql.ListFirst, DirectoryMappingSql.ListAfter, DirectoryMappingSql.ReadDirectoryMapping,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
