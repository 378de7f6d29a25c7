namespace GatewayStorage;

/// <summary>
/// The base of every error GatewayStorage raises for a storage problem. Both backends throw the same
/// subclass for the same case, and the engine's own exception, if any, is kept as <see cref="Exception.InnerException"/>.
/// Messages never contain a secret, a token or a connection-string password.
/// </summary>
public class StorageException : Exception
{
    private readonly bool _isTransient;

    /// <summary>Creates a storage exception with a message.</summary>
    /// <param name="message">What went wrong, without secrets.</param>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a storage exception with a message and the engine exception that caused it.</summary>
    /// <param name="message">What went wrong, without secrets.</param>
    /// <param name="innerException">The engine exception.</param>
    public StorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Creates a storage exception that says whether retrying may succeed, for example a transaction the engine
    /// aborted because of a deadlock or a serialization failure (transient), or a full disk (not transient).
    /// </summary>
    /// <param name="message">What went wrong, without secrets.</param>
    /// <param name="innerException">The engine exception.</param>
    /// <param name="isTransient">Whether retrying the same operation later may succeed.</param>
    public StorageException(string message, Exception? innerException, bool isTransient)
        : base(message, innerException)
    {
        _isTransient = isTransient;
    }

    /// <summary>
    /// Whether retrying the same operation later may succeed (a lost connection, a timeout, a busy database, a deadlock
    /// or serialization failure). Defaults to <see langword="false"/>.
    /// </summary>
    public virtual bool IsTransient => _isTransient;
}
