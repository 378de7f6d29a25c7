namespace GatewayStorage;

/// <summary>
/// Thrown when the database schema cannot be used by this version of the library: the database was
/// migrated by a newer version, or an applied migration script no longer matches its recorded checksum.
/// </summary>
public sealed class SchemaVersionException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do about it.</param>
    public SchemaVersionException(string message)
        : base(message)
    {
    }
}
