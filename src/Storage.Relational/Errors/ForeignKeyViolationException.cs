namespace GatewayStorage.Relational;

/// <summary>
/// Raised inside the relational layer when a foreign key pointed at a missing row. Operations that can cause
/// it catch it and name the missing entity (<see cref="EntityNotFoundException"/>); it never reaches a caller.
/// </summary>
internal sealed class ForeignKeyViolationException(Exception innerException)
    : StorageException("A referenced row does not exist.", innerException);
