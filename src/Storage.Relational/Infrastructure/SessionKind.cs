namespace GatewayStorage.Relational;

/// <summary>What a session will do: only read, or also write.</summary>
internal enum SessionKind
{
    /// <summary>Reads only: may run beside writers, and an idempotent read may run again on a fresh connection.</summary>
    Read,

    /// <summary>Writes: on SQLite it first takes the database's in-process writer lock (asynchronously).</summary>
    Write,
}
