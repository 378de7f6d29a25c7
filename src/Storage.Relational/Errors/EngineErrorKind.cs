namespace GatewayStorage.Relational;

/// <summary>The kinds of engine error the relational layer translates.</summary>
internal enum EngineErrorKind
{
    /// <summary>Not an engine error: let it through.</summary>
    None,

    /// <summary>A unique index or primary key was violated.</summary>
    UniqueViolation,

    /// <summary>A foreign key pointed at a missing row.</summary>
    ForeignKeyViolation,

    /// <summary>The database could not be reached, timed out or stayed locked.</summary>
    Unavailable,

    /// <summary>The engine aborted the transaction to resolve a conflict (deadlock, serialization failure): retrying may succeed.</summary>
    TransactionConflict,

    /// <summary>The server refused what the URL asks for (login, TLS, database name): retrying cannot help, the URL must change.</summary>
    Configuration,

    /// <summary>Any other engine error.</summary>
    Other,
}
