namespace GatewayStorage;

/// <summary>An append-only audit log.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry, stamped with the current time.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored entry.</returns>
    Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Queries the log, newest first, one keyset page at a time.</summary>
    /// <param name="query">Filters; <see cref="AuditQuery.All"/> for every entry.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of entries.</returns>
    Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes, in bounded batches, the entries that occurred before a time.</summary>
    /// <param name="before">The cut-off time.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>How many entries were deleted.</returns>
    Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
