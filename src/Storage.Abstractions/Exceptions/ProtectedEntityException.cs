namespace GatewayStorage;

/// <summary>
/// Thrown when an operation is refused because the entity is protected, for example deleting a system role.
/// </summary>
public sealed class ProtectedEntityException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="entity">The entity, for example <c>Role</c>.</param>
    /// <param name="id">The identity of the protected row.</param>
    /// <param name="reason">Why the operation is refused.</param>
    public ProtectedEntityException(string entity, string id, string reason)
        : base($"{entity} '{id}' is protected: {reason}")
    {
        Entity = entity;
        Id = id;
    }

    /// <summary>The entity, for example <c>Role</c>.</summary>
    public string Entity { get; }

    /// <summary>The identity of the protected row.</summary>
    public string Id { get; }
}
