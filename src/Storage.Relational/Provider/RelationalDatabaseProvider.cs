using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GatewayStorage.Relational;

/// <summary>
/// The <see cref="IDatabaseProvider"/> of both backends: a thin facade over one store per domain, all sharing one
/// <see cref="StoreContext"/> (and so one data source). As an <see cref="IServiceProvider"/> it hands out each store
/// for its focused interface, which is how dependency injection resolves <see cref="IUserStore"/> and the others.
/// </summary>
internal sealed class RelationalDatabaseProvider : IDatabaseProvider, IServiceProvider
{
    private readonly StoreSet _stores;
    private readonly RelationalPortability _portability;

    public RelationalDatabaseProvider(StoreSet stores)
    {
        _stores = stores;
        _portability = new RelationalPortability(stores.Context);
    }

    internal StoreContext Context => _stores.Context;

    /// <summary>
    /// The store that serves <paramref name="serviceType"/> (one of the focused interfaces), this provider for
    /// <see cref="IDataStreams"/>, or the portability capabilities; otherwise <see langword="null"/>.
    /// </summary>
    public object? GetService(Type serviceType) =>
        serviceType == typeof(IDataStreams) ? this
        : serviceType.IsInstanceOfType(_portability) ? _portability
        : _stores.GetService(serviceType);

    /// <inheritdoc />
    public Task<User> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        _stores.Users.CreateUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<User> UpsertUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        _stores.Users.UpsertUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Users.GetUserAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<User?> GetUserByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        _stores.Users.GetUserByEmailAsync(email, cancellationToken);

    /// <inheritdoc />
    public Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default) =>
        _stores.Users.UpdateUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Users.DeleteUserAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<User>> ListUsersAsync(UserQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Users.ListUsersAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken = default) =>
        _stores.Users.CountUsersAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordLoginAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Users.RecordLoginAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Role> CreateRoleAsync(NewRole role, CancellationToken cancellationToken = default) =>
        _stores.Roles.CreateRoleAsync(role, cancellationToken);

    /// <inheritdoc />
    public Task<Role?> GetRoleAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Roles.GetRoleAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Role?> GetRoleByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _stores.Roles.GetRoleByNameAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Role> UpdateRoleAsync(Role role, CancellationToken cancellationToken = default) =>
        _stores.Roles.UpdateRoleAsync(role, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteRoleAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Roles.DeleteRoleAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Role>> ListRolesAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Roles.ListRolesAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AssignRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default) =>
        _stores.Roles.AssignRoleAsync(userId, roleId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default) =>
        _stores.Roles.RevokeRoleAsync(userId, roleId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Role>> GetUserRolesAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _stores.Roles.GetUserRolesAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<User>> GetUsersInRoleAsync(Guid roleId, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Roles.GetUsersInRoleAsync(roleId, page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _stores.Roles.GetEffectivePermissionsAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<DirectoryGroupMapping> UpsertDirectoryMappingAsync(string group, Guid roleId, string? description = null, CancellationToken cancellationToken = default) =>
        _stores.DirectoryMappings.UpsertDirectoryMappingAsync(group, roleId, description, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteDirectoryMappingAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.DirectoryMappings.DeleteDirectoryMappingAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<DirectoryGroupMapping>> ListDirectoryMappingsAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.DirectoryMappings.ListDirectoryMappingsAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Role>> GetRolesForGroupsAsync(IEnumerable<string> groups, CancellationToken cancellationToken = default) =>
        _stores.DirectoryMappings.GetRolesForGroupsAsync(groups, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default) =>
        _stores.OAuthProviders.UpsertOAuthProviderAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default) =>
        _stores.OAuthProviders.GetOAuthProviderAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.OAuthProviders.ListOAuthProvidersAsync(enabledOnly, page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default) =>
        _stores.OAuthProviders.DeleteOAuthProviderAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.UpsertOAuthTokenAsync(grant, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.GetOAuthTokenAsync(userId, provider, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.ListOAuthTokensAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.DeleteOAuthTokenAsync(userId, provider, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.PruneExpiredOAuthTokensAsync(before, cancellationToken);

    /// <inheritdoc />
    public Task<CreatedApiKey> CreateApiKeyAsync(NewApiKey key, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.CreateApiKeyAsync(key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ApiKey?> VerifyApiKeyAsync(string presentedKey, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.VerifyApiKeyAsync(presentedKey, cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.GetApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.ListApiKeysAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.RevokeApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.DeleteApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<long> IncrementApiKeyUsageAsync(Guid apiKeyId, TimeSpan windowLength, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.IncrementApiKeyUsageAsync(apiKeyId, windowLength, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyUsage>> GetApiKeyUsageAsync(Guid apiKeyId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.GetApiKeyUsageAsync(apiKeyId, from, to, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneApiKeyUsageAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.PruneApiKeyUsageAsync(before, cancellationToken);

    /// <inheritdoc />
    public Task<ConfigEntry?> GetConfigAsync(string key, CancellationToken cancellationToken = default) =>
        _stores.Config.GetConfigAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<ConfigEntry> SetConfigAsync(string key, JsonElement value, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _stores.Config.SetConfigAsync(key, value, expectedVersion, cancellationToken);

    /// <inheritdoc />
    public Task<T?> GetConfigValueAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        _stores.Config.GetConfigValueAsync(key, typeInfo, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteConfigAsync(string key, CancellationToken cancellationToken = default) =>
        _stores.Config.DeleteConfigAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<Page<ConfigEntry>> ListConfigAsync(string prefix, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Config.ListConfigAsync(prefix, page, cancellationToken);

    /// <inheritdoc />
    public Task<McpServer> UpsertMcpServerAsync(McpServerRegistration registration, CancellationToken cancellationToken = default) =>
        _stores.McpServers.UpsertMcpServerAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<McpServer?> GetMcpServerAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.McpServers.GetMcpServerAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<McpServer?> GetMcpServerByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _stores.McpServers.GetMcpServerByNameAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<McpServer>> ListMcpServersAsync(McpServerQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.McpServers.ListMcpServersAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteMcpServerAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.McpServers.DeleteMcpServerAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default) =>
        _stores.Credentials.CreateCredentialAsync(credential, cancellationToken);

    /// <inheritdoc />
    public Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Credentials.GetCredentialAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default) =>
        _stores.Credentials.UpdateCredentialAsync(credential, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Credentials.DeleteCredentialAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Credentials.ListCredentialsAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default) =>
        _stores.Credentials.RecordCredentialUseAsync(id, succeeded, cancellationToken);

    /// <inheritdoc />
    public Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default) =>
        _stores.Credentials.CreateCredentialTagAsync(name, description, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default) =>
        _stores.Credentials.ListCredentialTagsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default) =>
        _stores.Credentials.DeleteCredentialTagAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default) =>
        _stores.Credentials.TagCredentialAsync(credentialId, tagId, priority, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default) =>
        _stores.Credentials.UntagCredentialAsync(credentialId, tagId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Credentials.GetCredentialsForTagAsync(tagId, page, cancellationToken);

    /// <inheritdoc />
    public Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default) =>
        _stores.Sessions.CreateSessionAsync(session, cancellationToken);

    /// <inheritdoc />
    public Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default) =>
        _stores.Sessions.GetSessionAsync(token, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default) =>
        _stores.Sessions.TouchSessionAsync(sessionId, extendTo, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        _stores.Sessions.RevokeSessionAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _stores.Sessions.RevokeUserSessionsAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<LoginSession>> ListUserSessionsAsync(Guid userId, bool activeOnly, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Sessions.ListUserSessionsAsync(userId, activeOnly, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _stores.Sessions.PruneExpiredSessionsAsync(before, cancellationToken);

    /// <inheritdoc />
    public Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        _stores.Sessions.IssueSingleUseTokenAsync(purpose, userId, lifetime, cancellationToken);

    /// <inheritdoc />
    public Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default) =>
        _stores.Sessions.TryConsumeSingleUseTokenAsync(purpose, value, cancellationToken);

    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default) =>
        _stores.Audit.AppendAuditAsync(entry, cancellationToken);

    /// <inheritdoc />
    public Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _stores.Audit.QueryAuditAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _stores.Audit.PurgeAuditAsync(before, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<User> StreamUsersAsync(CancellationToken cancellationToken = default) =>
        _stores.Users.StreamUsersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Role> StreamRolesAsync(CancellationToken cancellationToken = default) =>
        _stores.Roles.StreamRolesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<UserRoleAssignment> StreamUserRolesAsync(CancellationToken cancellationToken = default) =>
        _stores.Roles.StreamUserRolesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DirectoryGroupMapping> StreamDirectoryMappingsAsync(CancellationToken cancellationToken = default) =>
        _stores.DirectoryMappings.StreamDirectoryMappingsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<OAuthProviderRow> StreamOAuthProvidersAsync(CancellationToken cancellationToken = default) =>
        _stores.OAuthProviders.StreamOAuthProvidersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<OAuthTokenRow> StreamOAuthTokensAsync(CancellationToken cancellationToken = default) =>
        _stores.OAuthTokens.StreamOAuthTokensAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ApiKey> StreamApiKeysAsync(CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.StreamApiKeysAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ApiKeyUsage> StreamApiKeyUsageAsync(CancellationToken cancellationToken = default) =>
        _stores.ApiKeys.StreamApiKeyUsageAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ConfigEntry> StreamConfigEntriesAsync(CancellationToken cancellationToken = default) =>
        _stores.Config.StreamConfigEntriesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<McpServer> StreamMcpServersAsync(CancellationToken cancellationToken = default) =>
        _stores.McpServers.StreamMcpServersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialRow> StreamCredentialsAsync(CancellationToken cancellationToken = default) =>
        _stores.Credentials.StreamCredentialsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialTag> StreamCredentialTagsAsync(CancellationToken cancellationToken = default) =>
        _stores.Credentials.StreamCredentialTagsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialTagLink> StreamCredentialTagLinksAsync(CancellationToken cancellationToken = default) =>
        _stores.Credentials.StreamCredentialTagLinksAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<LoginSession> StreamSessionsAsync(CancellationToken cancellationToken = default) =>
        _stores.Sessions.StreamSessionsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SingleUseToken> StreamSingleUseTokensAsync(CancellationToken cancellationToken = default) =>
        _stores.Sessions.StreamSingleUseTokensAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditEntry> StreamAuditEntriesAsync(CancellationToken cancellationToken = default) =>
        _stores.Audit.StreamAuditEntriesAsync(cancellationToken);

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<string> GetPendingMigrationSqlAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.GetPendingMigrationSqlAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TableRowCount>> CountRowsAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.CountRowsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _stores.Lifecycle.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    public string BackendName => _stores.Lifecycle.BackendName;

    public void Dispose() => _stores.Context.Dispose();

    public ValueTask DisposeAsync() => _stores.Context.DisposeAsync();
}
