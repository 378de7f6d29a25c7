namespace GatewayStorage;

/// <summary>
/// Thrown when an update or delete carried a version that is no longer current: someone else changed the
/// row since it was read. Nothing was written; read the row again and reapply the change.
/// </summary>
public sealed class ConcurrencyConflictException : StorageException
{
    /// <summary>Creates the exception for an entity, its identity and the version the caller expected.</summary>
    /// <param name="entity">The entity, for example <c>User</c>.</param>
    /// <param name="id">The identity of the row (its id or key).</param>
    /// <param name="expectedVersion">The version the caller expected.</param>
    public ConcurrencyConflictException(string entity, string id, long expectedVersion)
        : base($"{entity} '{id}' was changed by someone else: version {expectedVersion} is no longer current.")
    {
        Entity = entity;
        Id = id;
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The entity, for example <c>User</c>.</summary>
    public string Entity { get; }

    /// <summary>The identity of the row (its id or key).</summary>
    public string Id { get; }

    /// <summary>The version the caller expected.</summary>
    public long ExpectedVersion { get; }
}
