namespace GatewayStorage.Relational;

/// <summary>Turns a classified engine error into the <see cref="StorageException"/> both backends throw for it.</summary>
internal static class StorageErrors
{
    public static StorageException Translate(SqlDialect dialect, EngineError error, Exception exception)
    {
        var code = error.Code ?? exception.GetType().Name;
        switch (error.Kind)
        {
            case EngineErrorKind.UniqueViolation:
                var (entity, field) = UniqueIndexCatalog.Describe(error.Constraint);
                return new DuplicateKeyException(entity, field, exception);
            case EngineErrorKind.ForeignKeyViolation:
                return new ForeignKeyViolationException(exception);
            case EngineErrorKind.Unavailable:
                return new StorageUnavailableException(
                    $"The {dialect.BackendName} database is unavailable ({error.Cause ?? code}); the operation may succeed if retried.",
                    exception);
            case EngineErrorKind.TransactionConflict:
                return new StorageException(
                    $"The {dialect.BackendName} database aborted the operation: {error.Cause ?? "a conflict with another transaction"} ({code}); retrying it may succeed.",
                    exception,
                    isTransient: true);
            case EngineErrorKind.Configuration:
                return new StorageConfigurationException(
                    $"The {dialect.BackendName} server refused the connection: {error.Cause ?? "error " + code} ({code}). " +
                    $"Check {GatewayStorageOptions.DatabaseUrlVariable} (or {GatewayStorageOptions.SectionName}:Url).",
                    exception);
            default:
                return error.Cause is null
                    ? new StorageException($"The {dialect.BackendName} database refused the operation (error {error.Code ?? "unknown"}).", exception)
                    : new StorageException($"The {dialect.BackendName} database refused the operation: {error.Cause} ({code}).", exception);
        }
    }
}
