namespace GatewayStorage;

/// <summary>
/// Thrown when a value stored encrypted cannot be decrypted: it was encrypted under a key that is no longer
/// configured, or it was tampered with or copied from another row. The message names the row (entity, id, table and
/// column) and the key id, never the value or a key.
/// </summary>
public sealed class SecretDecryptionException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyId">The id of the key the value names.</param>
    /// <param name="message">What went wrong, without the value.</param>
    /// <param name="innerException">The cryptographic exception, if any.</param>
    public SecretDecryptionException(string keyId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        KeyId = keyId;
    }

    /// <summary>The id of the encryption key the stored value names.</summary>
    public string KeyId { get; }
}
