namespace GatewayStorage.Relational;

// Declared by the contract; implemented with the issue "Secrets and the remaining domains".
internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    /// <inheritdoc />
    public Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default) => throw Pending(nameof(UpsertOAuthProviderAsync));

    /// <inheritdoc />
    public Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default) => throw Pending(nameof(GetOAuthProviderAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, CancellationToken cancellationToken = default) => throw Pending(nameof(ListOAuthProvidersAsync));

    /// <inheritdoc />
    public Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteOAuthProviderAsync));

    /// <inheritdoc />
    public Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default) => throw Pending(nameof(UpsertOAuthTokenAsync));

    /// <inheritdoc />
    public Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) => throw Pending(nameof(GetOAuthTokenAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default) => throw Pending(nameof(ListOAuthTokensAsync));

    /// <inheritdoc />
    public Task<bool> DeleteOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteOAuthTokenAsync));

    /// <inheritdoc />
    public Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Pending(nameof(PruneExpiredOAuthTokensAsync));
}
