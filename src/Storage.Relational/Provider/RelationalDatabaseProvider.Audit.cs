namespace GatewayStorage.Relational;

// Declared by the contract; implemented with the issue "Secrets and the remaining domains".
internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default) => throw Pending(nameof(AppendAuditAsync));

    /// <inheritdoc />
    public Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default) => throw Pending(nameof(QueryAuditAsync));

    /// <inheritdoc />
    public Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Pending(nameof(PurgeAuditAsync));
}
