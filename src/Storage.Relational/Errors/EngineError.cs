namespace GatewayStorage.Relational;

/// <summary>An engine exception, classified.</summary>
/// <param name="Kind">What kind of error it is.</param>
/// <param name="Constraint">
/// For a unique violation: the index name (PostgreSQL) or <c>table.column, …</c> (SQLite), when the engine says.
/// </param>
/// <param name="Code">The engine's error code, for messages (SQLSTATE or SQLite result code).</param>
/// <param name="Cause">The cause in words, for the message (never a secret), when the dialect knows it.</param>
internal readonly record struct EngineError(EngineErrorKind Kind, string? Constraint = null, string? Code = null, string? Cause = null)
{
    public static EngineError NotAnEngineError => default;
}
