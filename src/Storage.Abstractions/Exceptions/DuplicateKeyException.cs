namespace GatewayStorage;

/// <summary>
/// Thrown when a create or update would give two rows the same natural key (for example two users with
/// the same email, compared case-insensitively).
/// </summary>
public sealed class DuplicateKeyException : StorageException
{
    /// <summary>Creates the exception for an entity and the field whose value already exists.</summary>
    /// <param name="entity">The entity, for example <c>User</c>.</param>
    /// <param name="field">The field that must be unique, for example <c>Email</c>.</param>
    /// <param name="innerException">The engine exception, if any.</param>
    public DuplicateKeyException(string entity, string field, Exception? innerException = null)
        : base($"A {entity} with the same {field} already exists.", innerException)
    {
        Entity = entity;
        Field = field;
    }

    /// <summary>The entity whose natural key collided, for example <c>User</c>.</summary>
    public string Entity { get; }

    /// <summary>The field that must be unique, for example <c>Email</c>.</summary>
    public string Field { get; }
}
