namespace GatewayStorage.Relational;

/// <summary>Turns a classified engine error into the <see cref="StorageException"/> both backends throw for it.</summary>
internal static class StorageErrors
{
    public static StorageException Translate(SqlDialect dialect, EngineError error, Exception exception)
    {
        switch (error.Kind)
        {
            case EngineErrorKind.UniqueViolation:
                var (entity, field) = UniqueIndexCatalog.Describe(error.Constraint);
                return new DuplicateKeyException(entity, field, exception);
            case EngineErrorKind.ForeignKeyViolation:
                return new ForeignKeyViolationException(exception);
            case EngineErrorKind.Unavailable:
                return new StorageUnavailableException(
                    $"The {dialect.BackendName} database is unavailable ({error.Code ?? exception.GetType().Name}); the operation may succeed if retried.",
                    exception);
            default:
                return new StorageException($"The {dialect.BackendName} database refused the operation (error {error.Code ?? "unknown"}).", exception);
        }
    }
}
