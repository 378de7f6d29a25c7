namespace GatewayStorage;

/// <summary>
/// Thrown at start-up when the storage configuration cannot be used: an unknown URL scheme, a backend
/// package that is not registered, a malformed URL, a missing encryption key, or keys that cannot read what the
/// database holds (a lost key file, a wrong <c>ENCRYPTION_KEY</c>, a changed API-key hashing key). The message says what to
/// change and never contains a password.
/// </summary>
public sealed class StorageConfigurationException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to change.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public StorageConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
