namespace GatewayStorage;

/// <summary>
/// PostgreSQL: the connection pooler between the application and the server, which decides what the library may
/// assume about server sessions. Set with <see cref="GatewayStorageOptions.Pooler"/> or the URL parameter
/// <c>pooler=none|transaction</c>.
/// </summary>
public enum ConnectionPooler
{
    /// <summary>
    /// Each connection is one server session (a direct connection, or PgBouncer in session mode): statements are
    /// prepared automatically and kept on the server session. The default.
    /// </summary>
    None,

    /// <summary>
    /// A pooler in transaction mode (PgBouncer <c>pool_mode=transaction</c>) hands each transaction to any server
    /// session: no statement is prepared on the server, and nothing relies on session state between transactions.
    /// </summary>
    Transaction,
}
