namespace GatewayStorage.Relational;

internal sealed class AuditStore(StoreContext context) : IAuditLog
{
    private const string Table = "audit_log";

    // The cursor names only the list and the last entry's id: never a filter value (an actor may be an email).
    private const string AuditList = "audit";
    private const int MaxAuditActionLength = 100;
    private const int MaxAuditActorLength = 200;
    private const int MaxAuditTargetTypeLength = 100;
    private const int MaxAuditTargetIdLength = 200;
    private const int MaxAuditIpAddressLength = 64;
    private const int MaxAuditDetailsLength = 64 * 1024;

    /// <inheritdoc />
    public async Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var action = Check.Name(entry.Action, nameof(NewAuditEntry.Action), MaxAuditActionLength);
        var actor = Check.OptionalLine(entry.Actor, nameof(NewAuditEntry.Actor), MaxAuditActorLength);
        var targetType = Check.OptionalLine(entry.TargetType, nameof(NewAuditEntry.TargetType), MaxAuditTargetTypeLength);
        var targetId = Check.OptionalLine(entry.TargetId, nameof(NewAuditEntry.TargetId), MaxAuditTargetIdLength);
        var ipAddress = Check.OptionalLine(entry.IpAddress, nameof(NewAuditEntry.IpAddress), MaxAuditIpAddressLength);

        // Details = null means none; a present but undefined value (default(JsonElement)) is refused by JsonText.
        var details = entry.Details is { } value
            ? JsonText.Serialize(value, nameof(NewAuditEntry.Details), MaxAuditDetailsLength)
            : null;

        var now = context.Now();
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return (await session.Sql(AuditSql.Insert)
                .Guid("id", context.NewId(now))
                .Time("now", now)
                .Text("actor", actor)
                .Text("action", action)
                .Text("target_type", targetType)
                .Text("target_id", targetId)
                .Boolean("succeeded", entry.Succeeded)
                .Text("ip_address", ipAddress)
                .Json("details", details)
                .QuerySingleOrDefaultAsync(AuditSql.ReadAuditEntry, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var action = query.Action is null ? null : Check.Name(query.Action, nameof(AuditQuery.Action), MaxAuditActionLength);
        var actor = Check.OptionalLine(query.Actor, nameof(AuditQuery.Actor), MaxAuditActorLength);
        var targetType = Check.OptionalLine(query.TargetType, nameof(AuditQuery.TargetType), MaxAuditTargetTypeLength);
        var targetId = Check.OptionalLine(query.TargetId, nameof(AuditQuery.TargetId), MaxAuditTargetIdLength);
        var from = StorageTime.Normalize(query.From);
        var to = StorageTime.Normalize(query.To);
        if (from >= to)
        {
            throw new ArgumentException("The time range is empty: From must be earlier than To.", nameof(query));
        }

        var before = KeysetCursor.DecodeGuid(AuditList, page.Cursor);
        var filters = AuditSql.Filter.None;
        filters |= actor is null ? 0 : AuditSql.Filter.Actor;
        filters |= action is null ? 0 : AuditSql.Filter.Action;
        filters |= targetType is null ? 0 : AuditSql.Filter.TargetType;
        filters |= targetId is null ? 0 : AuditSql.Filter.TargetId;
        filters |= from is null ? 0 : AuditSql.Filter.From;
        filters |= to is null ? 0 : AuditSql.Filter.To;
        filters |= before is null ? 0 : AuditSql.Filter.Before;

        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // Bind only the parameters the composed statement names.
            var statement = session.Sql(AuditSql.Query(filters)).Int32("limit", page.Limit + 1);
            if (actor is not null)
            {
                statement.Text("actor", actor);
            }

            if (action is not null)
            {
                statement.Text("action", action);
            }

            if (targetType is not null)
            {
                statement.Text("target_type", targetType);
            }

            if (targetId is not null)
            {
                statement.Text("target_id", targetId);
            }

            if (from is not null)
            {
                statement.Time("from", from);
            }

            if (to is not null)
            {
                statement.Time("to", to);
            }

            if (before is { } beforeId)
            {
                statement.Guid("before", beforeId);
            }

            var rows = await statement.QueryAsync(AuditSql.ReadAuditEntry, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, AuditList, static e => e.Id.ToString());
        }
    }

    /// <inheritdoc />
    public Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        BatchedDelete.RunAsync(context, Table, AuditSql.PurgeBatch, before, cancellationToken);

    /// <summary>Streams every entry in id order (see <see cref="IDataStreams.StreamAuditEntriesAsync"/>).</summary>
    public IAsyncEnumerable<AuditEntry> StreamAuditEntriesAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, AuditSql.StreamFirst, AuditSql.StreamAfter, AuditSql.ReadAuditEntry,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
