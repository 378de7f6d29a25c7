namespace GatewayStorage.Relational;

internal sealed class McpServerStore(StoreContext context) : IMcpServerStore
{
    private const string Table = "mcp_servers";

    private const string McpServersList = "mcp-servers";

    /// <inheritdoc />
    public async Task<McpServer> UpsertMcpServerAsync(McpServerRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var name = Check.Name(registration.Name, nameof(McpServerRegistration.Name), 100);
        var url = Check.AbsoluteUrl(registration.Url, nameof(McpServerRegistration.Url), "http", "https", "ws", "wss");
        var description = Check.OptionalText(registration.Description, nameof(McpServerRegistration.Description), 1000);
        var tags = registration.Tags is null ? null : ValidateTags(registration.Tags);
        var now = context.Now();

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            var id = await session.Sql(McpServerSql.Upsert)
                .Guid("id", context.NewId(now))
                .Text("name", name)
                .Text("normalized_name", Check.Normalize(name))
                .Text("url", url.OriginalString)
                .Text("description", description)
                .Boolean("is_enabled", registration.IsEnabled)
                .Time("now", now)
                .QuerySingleOrDefaultAsync(static (in Row r) => r.Guid(0), cancellationToken).ConfigureAwait(false);
            if (tags is not null)
            {
                await session.Sql(McpServerSql.DeleteTags).Guid("server_id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                if (tags.Count > 0)
                {
                    await session.Sql(context.Statements.InsertMcpServerTags).Guid("server_id", id).TextList("tags", tags)
                        .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            var server = await ReadMcpServerAsync(session, McpServerSql.GetById, s => s.Guid("id", id), cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            return server!;
        }
    }

    /// <inheritdoc />
    public async Task<McpServer?> GetMcpServerAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await ReadMcpServerAsync(session, McpServerSql.GetById, s => s.Guid("id", id), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<McpServer?> GetMcpServerByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), 100));
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await ReadMcpServerAsync(session, McpServerSql.GetByName, s => s.Text("normalized_name", normalizedName), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<Page<McpServer>> ListMcpServersAsync(McpServerQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var tag = query.Tag is null ? null : ValidateTags([query.Tag])[0];
        var after = KeysetCursor.Decode(McpServersList, page.Cursor);
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? McpServerSql.ListFirst : McpServerSql.ListAfter)
                .Text("tag", tag)
                .Boolean("is_enabled", query.IsEnabled)
                .Int32("limit", page.Limit + 1);
            if (after is not null)
            {
                statement.Text("after", after);
            }

            var rows = await statement.QueryAsync(McpServerSql.ReadMcpServerRow, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(FoldMcpServers(rows), page, McpServersList, static s => Check.Normalize(s.Name));
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteMcpServerAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(McpServerSql.Delete).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private static async Task<McpServer?> ReadMcpServerAsync(DbSession session, string sql, Action<Statement> bind, CancellationToken cancellationToken)
    {
        var statement = session.Sql(sql);
        bind(statement);
        var rows = await statement.QueryAsync(McpServerSql.ReadMcpServerRow, cancellationToken).ConfigureAwait(false);
        return FoldMcpServers(rows).FirstOrDefault();
    }

    private static List<string> ValidateTags(IEnumerable<string> tags)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tag, "Tags");
            if (tag.Length > 64 || !tag.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
            {
                throw new ArgumentException("A tag must be 1 to 64 letters, digits or . _ - :.", "Tags");
            }

            result.Add(tag.ToLowerInvariant());
        }

        if (result.Count > 100)
        {
            throw new ArgumentException("A server may have at most 100 tags.", "Tags");
        }

        return [.. result];
    }

    private static List<McpServer> FoldMcpServers(List<(McpServer Server, string? Tag)> rows) =>
        ChildRows.Fold(rows, static s => s.Id, static (s, tags) => s with { Tags = tags });

    /// <summary>Streams every server with its tags, in id order (see <see cref="IDataStreams.StreamMcpServersAsync"/>).</summary>
    public IAsyncEnumerable<McpServer> StreamMcpServersAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, McpServerSql.StreamFirst, McpServerSql.StreamAfter, McpServerSql.ReadMcpServerRow, FoldMcpServers,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
