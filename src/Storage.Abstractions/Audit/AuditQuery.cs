namespace GatewayStorage;

/// <summary>Filters for querying the audit log. Every filter left <see langword="null"/> matches all entries.</summary>
/// <param name="Actor">Only entries by this actor (exact match).</param>
/// <param name="Action">Only entries of this action (exact match).</param>
/// <param name="TargetType">Only entries on this kind of target.</param>
/// <param name="TargetId">Only entries on this target.</param>
/// <param name="From">Only entries at or after this time.</param>
/// <param name="To">Only entries before this time.</param>
public sealed record AuditQuery(
    string? Actor = null,
    string? Action = null,
    string? TargetType = null,
    string? TargetId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>The query that matches every entry.</summary>
    public static AuditQuery All { get; } = new();
}
