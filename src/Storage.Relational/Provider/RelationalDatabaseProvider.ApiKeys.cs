namespace GatewayStorage.Relational;

// Declared by the contract; implemented with the issue "Secrets and the remaining domains".
internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public Task<CreatedApiKey> CreateApiKeyAsync(NewApiKey key, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateApiKeyAsync));

    /// <inheritdoc />
    public ValueTask<ApiKey?> VerifyApiKeyAsync(string presentedKey, CancellationToken cancellationToken = default) => throw Pending(nameof(VerifyApiKeyAsync));

    /// <inheritdoc />
    public Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(GetApiKeyAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid userId, CancellationToken cancellationToken = default) => throw Pending(nameof(ListApiKeysAsync));

    /// <inheritdoc />
    public Task<bool> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(RevokeApiKeyAsync));

    /// <inheritdoc />
    public Task<bool> DeleteApiKeyAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteApiKeyAsync));

    /// <inheritdoc />
    public Task<long> IncrementApiKeyUsageAsync(Guid apiKeyId, TimeSpan windowLength, CancellationToken cancellationToken = default) => throw Pending(nameof(IncrementApiKeyUsageAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyUsage>> GetApiKeyUsageAsync(Guid apiKeyId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) => throw Pending(nameof(GetApiKeyUsageAsync));
}
