namespace GatewayStorage.Relational;

// The stores of the issue "Secrets and the remaining domains" (encryption at rest, API keys, OAuth, credentials,
// sessions, audit). Their contract is declared; their implementation lands with that issue.
internal sealed partial class RelationalDatabaseProvider
{
    private const string PendingFeature =
        "is part of the feature 'Secrets and the remaining domains' (encryption at rest, API keys, OAuth providers and tokens, credentials, sessions, audit log), which this version of GatewayStorage does not implement yet.";

    private static NotSupportedException Pending(string operation) => new($"{operation} {PendingFeature}");

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

    /// <inheritdoc />
    public Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateCredentialAsync));

    /// <inheritdoc />
    public Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(GetCredentialAsync));

    /// <inheritdoc />
    public Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default) => throw Pending(nameof(UpdateCredentialAsync));

    /// <inheritdoc />
    public Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteCredentialAsync));

    /// <inheritdoc />
    public Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default) => throw Pending(nameof(ListCredentialsAsync));

    /// <inheritdoc />
    public Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default) => throw Pending(nameof(RecordCredentialUseAsync));

    /// <inheritdoc />
    public Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateCredentialTagAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default) => throw Pending(nameof(ListCredentialTagsAsync));

    /// <inheritdoc />
    public Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteCredentialTagAsync));

    /// <inheritdoc />
    public Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default) => throw Pending(nameof(TagCredentialAsync));

    /// <inheritdoc />
    public Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default) => throw Pending(nameof(UntagCredentialAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, CancellationToken cancellationToken = default) => throw Pending(nameof(GetCredentialsForTagAsync));

    /// <inheritdoc />
    public Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateSessionAsync));

    /// <inheritdoc />
    public Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default) => throw Pending(nameof(GetSessionAsync));

    /// <inheritdoc />
    public Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default) => throw Pending(nameof(TouchSessionAsync));

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default) => throw Pending(nameof(RevokeSessionAsync));

    /// <inheritdoc />
    public Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default) => throw Pending(nameof(RevokeUserSessionsAsync));

    /// <inheritdoc />
    public Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Pending(nameof(PruneExpiredSessionsAsync));

    /// <inheritdoc />
    public Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default) => throw Pending(nameof(IssueSingleUseTokenAsync));

    /// <inheritdoc />
    public Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default) => throw Pending(nameof(TryConsumeSingleUseTokenAsync));

    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default) => throw Pending(nameof(AppendAuditAsync));

    /// <inheritdoc />
    public Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default) => throw Pending(nameof(QueryAuditAsync));

    /// <inheritdoc />
    public Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Pending(nameof(PurgeAuditAsync));
}
