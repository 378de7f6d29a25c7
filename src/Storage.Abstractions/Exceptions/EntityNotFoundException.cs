namespace GatewayStorage;

/// <summary>
/// Thrown when an operation refers to another entity that does not exist, for example assigning a role to
/// an unknown user. (Reading an absent entity is not an error: getters return <see langword="null"/>.)
/// </summary>
public sealed class EntityNotFoundException : StorageException
{
    /// <summary>Creates the exception for the missing entity.</summary>
    /// <param name="entity">The entity, for example <c>User</c>.</param>
    /// <param name="id">The identity that was not found.</param>
    /// <param name="innerException">The engine exception, if any.</param>
    public EntityNotFoundException(string entity, string id, Exception? innerException = null)
        : base($"{entity} '{id}' does not exist.", innerException)
    {
        Entity = entity;
        Id = id;
    }

    /// <summary>The entity that was not found, for example <c>User</c>.</summary>
    public string Entity { get; }

    /// <summary>The identity that was not found.</summary>
    public string Id { get; }
}
