namespace GatewayStorage;

/// <summary>
/// Thrown when a create would give an owner more rows of a kind than the library allows, for example a 101st API key
/// for one user (<see cref="IApiKeyStore.MaxApiKeysPerUser"/>). Nothing is written. Not transient: the same call
/// fails again until a row is deleted.
/// </summary>
public sealed class LimitExceededException : StorageException
{
    /// <summary>Creates the exception for an owner that already holds the most rows of a kind it may.</summary>
    /// <param name="entity">The kind of row, for example <c>ApiKey</c>.</param>
    /// <param name="owner">The owner, for example <c>User 0192…</c>.</param>
    /// <param name="limit">The most rows of the kind the owner may hold.</param>
    public LimitExceededException(string entity, string owner, int limit)
        : base($"{owner} already holds {limit} {entity} rows, the most allowed; delete one before adding another.")
    {
        Entity = entity;
        Owner = owner;
        Limit = limit;
    }

    /// <summary>The kind of row, for example <c>ApiKey</c>.</summary>
    public string Entity { get; }

    /// <summary>The owner, for example <c>User 0192…</c>.</summary>
    public string Owner { get; }

    /// <summary>The most rows of the kind the owner may hold.</summary>
    public int Limit { get; }
}
