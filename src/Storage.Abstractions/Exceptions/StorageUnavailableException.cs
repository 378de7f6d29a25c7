namespace GatewayStorage;

/// <summary>
/// Thrown when the database cannot be reached or did not answer in time: a refused or lost connection,
/// a timeout, a database locked for longer than the busy timeout. Transient: the same call may succeed later.
/// </summary>
public sealed class StorageUnavailableException : StorageException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached, without secrets.</param>
    /// <param name="innerException">The engine or network exception.</param>
    public StorageUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
