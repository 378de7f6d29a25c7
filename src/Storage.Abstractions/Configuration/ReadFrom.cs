namespace GatewayStorage;

/// <summary>
/// PostgreSQL: where the operations that tolerate replica lag read (lists, counts, audit queries, user and MCP server
/// lookups; see the README's "Scaling out" section). Set with <see cref="GatewayStorageOptions.ReadFrom"/> or the URL
/// parameter <c>read_from=primary|standby</c>.
/// </summary>
public enum ReadFrom
{
    /// <summary>Every operation runs on the server the URL's <c>target_session_attrs</c> selects. The default.</summary>
    Primary,

    /// <summary>
    /// Operations that tolerate lag prefer a standby among the URL's hosts and fall back to the primary when no standby
    /// answers; writes and reads that must see the caller's own writes stay on the primary.
    /// </summary>
    Standby,
}
