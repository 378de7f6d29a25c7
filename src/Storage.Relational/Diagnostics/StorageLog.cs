using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// Every log message of GatewayStorage, source-generated, each with a stable event id (the README lists them). A
/// message names rows, tables, key ids and paths, never a secret, a key or a parameter value.
/// </summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 1, EventName = "Migrated", Level = LogLevel.Information,
        Message = "GatewayStorage migrated the {Backend} database: {Count} migration(s) applied, schema version {Version}.")]
    public static partial void Migrated(ILogger logger, string backend, int count, int version);

    [LoggerMessage(EventId = 10, EventName = "EncryptionKeyFile", Level = LogLevel.Warning,
        Message = "No encryption key is configured for the {Backend} database: {Action} the key file {Path} (owner-only). Back it up with the database, or set GatewayStorage:EncryptionKeys.")]
    public static partial void EncryptionKeyFile(ILogger logger, string backend, string action, string path);

    [LoggerMessage(EventId = 11, EventName = "EphemeralEncryptionKey", Level = LogLevel.Warning,
        Message = "No encryption key is configured for the in-memory {Backend} database: secrets are encrypted with a key that lives only as long as this process.")]
    public static partial void EphemeralEncryptionKey(ILogger logger, string backend);

    [LoggerMessage(EventId = 12, EventName = "RetiredEncryptionKey", Level = LogLevel.Warning,
        Message = "The database recorded encryption key(s) {KeyIds} that are no longer configured: values still under them cannot be read (SecretDecryptionException names the row). If the key was not retired on purpose, add it back to GatewayStorage:EncryptionKeys.")]
    public static partial void RetiredEncryptionKey(ILogger logger, string keyIds);

    [LoggerMessage(EventId = 13, EventName = "SecretDecryptionFailed", Level = LogLevel.Warning,
        Message = "A secret stored in {Table}.{Column} (row {RowId}) could not be decrypted with encryption key {KeyId}: the key is not configured, or the value was damaged or copied from another row.")]
    public static partial void SecretDecryptionFailed(ILogger logger, string table, string column, Guid rowId, string keyId);
}
