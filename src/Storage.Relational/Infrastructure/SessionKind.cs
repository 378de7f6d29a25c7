namespace GatewayStorage.Relational;

/// <summary>What a session will do: only read, or also write.</summary>
internal enum SessionKind
{
    /// <summary>Reads only: may run beside writers, and an idempotent read may run again on a fresh connection.</summary>
    Read,

    /// <summary>
    /// Reads only, and tolerates replica lag (lists, counts, audit queries, named lookups): runs on the backend's
    /// standby data source when it has one (PostgreSQL with <c>read_from=standby</c>), otherwise as <see cref="Read"/>.
    /// </summary>
    LagTolerantRead,

    /// <summary>Writes: on SQLite it first takes the database's in-process writer lock (asynchronously).</summary>
    Write,
}
