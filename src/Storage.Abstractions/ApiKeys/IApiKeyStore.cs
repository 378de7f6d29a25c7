namespace GatewayStorage;

/// <summary>Stores API keys (as keyed hashes) and their usage counters.</summary>
public interface IApiKeyStore
{
    /// <summary>The most API keys one user may hold, revoked ones included: 100.</summary>
    const int MaxApiKeysPerUser = 100;

    /// <summary>Creates an API key from a cryptographic random source. The secret is returned this once.</summary>
    /// <param name="key">The key to create.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored key and its secret.</returns>
    /// <exception cref="EntityNotFoundException">The user does not exist.</exception>
    /// <exception cref="LimitExceededException">
    /// The user already holds <see cref="MaxApiKeysPerUser"/> keys (revoked ones count until deleted); nothing is written.
    /// </exception>
    Task<CreatedApiKey> CreateApiKeyAsync(NewApiKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies a presented API key with one indexed lookup. Records the last-used time at most once per
    /// configured interval, so the common case is a read.
    /// </summary>
    /// <param name="presentedKey">The full key as presented by a client.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The key, or <see langword="null"/> when it is unknown, revoked, expired or malformed (a malformed key costs no database round trip).</returns>
    ValueTask<ApiKey?> VerifyApiKeyAsync(string presentedKey, CancellationToken cancellationToken = default);

    /// <summary>Gets an API key by id.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The key, or <see langword="null"/> when there is none.</returns>
    Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists a user's API keys, newest first. The list is bounded, not paged: a user holds at most
    /// <see cref="MaxApiKeysPerUser"/> keys, which <see cref="CreateApiKeyAsync"/> enforces.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The keys, revoked ones included: at most <see cref="MaxApiKeysPerUser"/>.</returns>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes an API key: it stops verifying at once.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a live key was revoked; <see langword="false"/> when it was absent or already revoked.</returns>
    Task<bool> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Deletes an API key and its usage counters.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a key was deleted.</returns>
    Task<bool> DeleteApiKeyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds one use of a key to the fixed window of <paramref name="windowLength"/> that contains
    /// the current time, in one statement, and returns the window's new count. Correct under concurrency.
    /// </summary>
    /// <param name="apiKeyId">The key.</param>
    /// <param name="windowLength">The window's length, from one second to one day, dividing a day evenly.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The count of the window after this use.</returns>
    /// <exception cref="EntityNotFoundException">The key does not exist.</exception>
    Task<long> IncrementApiKeyUsageAsync(Guid apiKeyId, TimeSpan windowLength, CancellationToken cancellationToken = default);

    /// <summary>Reads a key's usage windows that start in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    /// <param name="apiKeyId">The key.</param>
    /// <param name="from">The inclusive start.</param>
    /// <param name="to">The exclusive end.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The windows.</returns>
    Task<IReadOnlyList<ApiKeyUsage>> GetApiKeyUsageAsync(Guid apiKeyId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the usage windows of every key that start before <paramref name="before"/>, in batches of
    /// <see cref="GatewayStorageOptions.PruneBatchSize"/> rows, each its own short statement.
    /// </summary>
    /// <param name="before">The cutoff: windows that start before it are deleted.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The number of windows deleted.</returns>
    Task<long> PruneApiKeyUsageAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
