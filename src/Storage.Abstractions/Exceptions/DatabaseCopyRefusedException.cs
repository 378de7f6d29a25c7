namespace GatewayStorage;

/// <summary>
/// A copy between two databases was refused before anything was written: the target is at another schema version,
/// already holds data (and skipping existing rows was not asked for), or holds key check values for other keys.
/// </summary>
public sealed class DatabaseCopyRefusedException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the copy was refused and how to fix it; never a secret.</param>
    public DatabaseCopyRefusedException(string message)
        : base(message)
    {
    }
}
