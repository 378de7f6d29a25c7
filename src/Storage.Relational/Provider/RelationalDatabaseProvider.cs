using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GatewayStorage.Portability;
using GatewayStorage.Security;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// The <see cref="IDatabaseProvider"/> of both backends: a thin facade over one store per domain, all sharing one
/// <see cref="StoreContext"/> (and so one data source). As an <see cref="IServiceProvider"/> it hands out each store
/// for its focused interface, which is how dependency injection resolves <see cref="IUserStore"/> and the others.
/// </summary>
internal sealed class RelationalDatabaseProvider : IDatabaseProvider, IServiceProvider, IDatabaseCopySource, IPortableFileProvider, IKeyRotationTarget
{
    private readonly StoreContext _context;
    private readonly UserStore _users;
    private readonly RoleStore _roles;
    private readonly DirectoryMappingStore _directoryMappings;
    private readonly OAuthProviderStore _oAuthProviders;
    private readonly OAuthTokenStore _oAuthTokens;
    private readonly ApiKeyStore _apiKeys;
    private readonly ConfigStore _config;
    private readonly McpServerStore _mcpServers;
    private readonly CredentialStore _credentials;
    private readonly SessionStore _sessions;
    private readonly AuditStore _audit;
    private readonly DatabaseLifecycle _lifecycle;

    public RelationalDatabaseProvider(
        RelationalBackendParts backend,
        StorageSecrets secrets,
        GatewayStorageOptions options,
        bool autoMigrate,
        TimeProvider time,
        ILogger logger)
    {
        _context = new StoreContext(backend, secrets, options, autoMigrate, time, logger);
        _users = new UserStore(_context);
        _roles = new RoleStore(_context);
        _directoryMappings = new DirectoryMappingStore(_context);
        _oAuthProviders = new OAuthProviderStore(_context);
        _oAuthTokens = new OAuthTokenStore(_context);
        _apiKeys = new ApiKeyStore(_context);
        _config = new ConfigStore(_context);
        _mcpServers = new McpServerStore(_context);
        _credentials = new CredentialStore(_context);
        _sessions = new SessionStore(_context);
        _audit = new AuditStore(_context);
        _lifecycle = new DatabaseLifecycle(_context);
    }

    internal StoreContext Context => _context;

    /// <summary>The store that serves <paramref name="serviceType"/>, one of the focused interfaces; otherwise <see langword="null"/>.</summary>
    public object? GetService(Type serviceType) => serviceType switch
    {
        _ when serviceType == typeof(IUserStore) => _users,
        _ when serviceType == typeof(IRoleStore) => _roles,
        _ when serviceType == typeof(IDirectoryMappingStore) => _directoryMappings,
        _ when serviceType == typeof(IOAuthProviderStore) => _oAuthProviders,
        _ when serviceType == typeof(IOAuthTokenStore) => _oAuthTokens,
        _ when serviceType == typeof(IApiKeyStore) => _apiKeys,
        _ when serviceType == typeof(IConfigStore) => _config,
        _ when serviceType == typeof(IMcpServerStore) => _mcpServers,
        _ when serviceType == typeof(ICredentialStore) => _credentials,
        _ when serviceType == typeof(ISessionStore) => _sessions,
        _ when serviceType == typeof(IAuditLog) => _audit,
        _ when serviceType == typeof(IDatabaseLifecycle) => _lifecycle,
        _ when serviceType == typeof(IDataStreams) => this,
        _ => null,
    };

    /// <inheritdoc />
    public Task<DatabaseCopyReport> CopyToAsync(
        IDatabaseProvider target, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        target is RelationalDatabaseProvider relational
            ? DatabaseCopy.RunAsync(_context, relational._context, options, progress, cancellationToken)
            : throw new NotSupportedException($"The target provider ({target.GetType().Name}) is not a GatewayStorage backend and cannot be copied into.");

    /// <inheritdoc />
    public Task<KeyRotationReport> RotateKeysAsync(int batchSize, IProgress<KeyRotationProgress>? progress, CancellationToken cancellationToken) =>
        KeyRotation.RunAsync(_context, batchSize, progress, cancellationToken);

    /// <inheritdoc />
    public Task<DatabaseCopyReport> ExportToFileAsync(
        string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        PortableFileExport.RunAsync(_context, path, format, progress, cancellationToken);

    /// <inheritdoc />
    public Task<DatabaseCopyReport> ImportFromFileAsync(
        string path, PortableArchiveFormat format, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        PortableFileImport.RunAsync(_context, path, format, options, progress, cancellationToken);

    // IUserStore
    /// <inheritdoc />
    public Task<User> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        _users.CreateUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<User> UpsertUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        _users.UpsertUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        _users.GetUserAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<User?> GetUserByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        _users.GetUserByEmailAsync(email, cancellationToken);

    /// <inheritdoc />
    public Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default) =>
        _users.UpdateUserAsync(user, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        _users.DeleteUserAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<User>> ListUsersAsync(UserQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _users.ListUsersAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken = default) =>
        _users.CountUsersAsync(query, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordLoginAsync(Guid id, CancellationToken cancellationToken = default) =>
        _users.RecordLoginAsync(id, cancellationToken);

    // IRoleStore
    /// <inheritdoc />
    public Task<Role> CreateRoleAsync(NewRole role, CancellationToken cancellationToken = default) =>
        _roles.CreateRoleAsync(role, cancellationToken);

    /// <inheritdoc />
    public Task<Role?> GetRoleAsync(Guid id, CancellationToken cancellationToken = default) =>
        _roles.GetRoleAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Role?> GetRoleByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _roles.GetRoleByNameAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Role> UpdateRoleAsync(Role role, CancellationToken cancellationToken = default) =>
        _roles.UpdateRoleAsync(role, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteRoleAsync(Guid id, CancellationToken cancellationToken = default) =>
        _roles.DeleteRoleAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Role>> ListRolesAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _roles.ListRolesAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AssignRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default) =>
        _roles.AssignRoleAsync(userId, roleId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default) =>
        _roles.RevokeRoleAsync(userId, roleId, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Role>> GetUserRolesAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _roles.GetUserRolesAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<User>> GetUsersInRoleAsync(Guid roleId, PageRequest page, CancellationToken cancellationToken = default) =>
        _roles.GetUsersInRoleAsync(roleId, page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _roles.GetEffectivePermissionsAsync(userId, cancellationToken);

    // IDirectoryMappingStore
    /// <inheritdoc />
    public Task<DirectoryGroupMapping> UpsertDirectoryMappingAsync(string group, Guid roleId, string? description = null, CancellationToken cancellationToken = default) =>
        _directoryMappings.UpsertDirectoryMappingAsync(group, roleId, description, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteDirectoryMappingAsync(Guid id, CancellationToken cancellationToken = default) =>
        _directoryMappings.DeleteDirectoryMappingAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<DirectoryGroupMapping>> ListDirectoryMappingsAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _directoryMappings.ListDirectoryMappingsAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<Role>> GetRolesForGroupsAsync(IEnumerable<string> groups, CancellationToken cancellationToken = default) =>
        _directoryMappings.GetRolesForGroupsAsync(groups, cancellationToken);

    // IOAuthProviderStore
    /// <inheritdoc />
    public Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default) =>
        _oAuthProviders.UpsertOAuthProviderAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default) =>
        _oAuthProviders.GetOAuthProviderAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, PageRequest page, CancellationToken cancellationToken = default) =>
        _oAuthProviders.ListOAuthProvidersAsync(enabledOnly, page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default) =>
        _oAuthProviders.DeleteOAuthProviderAsync(name, cancellationToken);

    // IOAuthTokenStore
    /// <inheritdoc />
    public Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default) =>
        _oAuthTokens.UpsertOAuthTokenAsync(grant, cancellationToken);

    /// <inheritdoc />
    public Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) =>
        _oAuthTokens.GetOAuthTokenAsync(userId, provider, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _oAuthTokens.ListOAuthTokensAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default) =>
        _oAuthTokens.DeleteOAuthTokenAsync(userId, provider, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _oAuthTokens.PruneExpiredOAuthTokensAsync(before, cancellationToken);

    // IApiKeyStore
    /// <inheritdoc />
    public Task<CreatedApiKey> CreateApiKeyAsync(NewApiKey key, CancellationToken cancellationToken = default) =>
        _apiKeys.CreateApiKeyAsync(key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ApiKey?> VerifyApiKeyAsync(string presentedKey, CancellationToken cancellationToken = default) =>
        _apiKeys.VerifyApiKeyAsync(presentedKey, cancellationToken);

    /// <inheritdoc />
    public Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _apiKeys.GetApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _apiKeys.ListApiKeysAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _apiKeys.RevokeApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        _apiKeys.DeleteApiKeyAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<long> IncrementApiKeyUsageAsync(Guid apiKeyId, TimeSpan windowLength, CancellationToken cancellationToken = default) =>
        _apiKeys.IncrementApiKeyUsageAsync(apiKeyId, windowLength, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyUsage>> GetApiKeyUsageAsync(Guid apiKeyId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _apiKeys.GetApiKeyUsageAsync(apiKeyId, from, to, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneApiKeyUsageAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _apiKeys.PruneApiKeyUsageAsync(before, cancellationToken);

    // IConfigStore
    /// <inheritdoc />
    public Task<ConfigEntry?> GetConfigAsync(string key, CancellationToken cancellationToken = default) =>
        _config.GetConfigAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<ConfigEntry> SetConfigAsync(string key, JsonElement value, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        _config.SetConfigAsync(key, value, expectedVersion, cancellationToken);

    /// <inheritdoc />
    public Task<T?> GetConfigValueAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        _config.GetConfigValueAsync(key, typeInfo, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteConfigAsync(string key, CancellationToken cancellationToken = default) =>
        _config.DeleteConfigAsync(key, cancellationToken);

    /// <inheritdoc />
    public Task<Page<ConfigEntry>> ListConfigAsync(string prefix, PageRequest page, CancellationToken cancellationToken = default) =>
        _config.ListConfigAsync(prefix, page, cancellationToken);

    // IMcpServerStore
    /// <inheritdoc />
    public Task<McpServer> UpsertMcpServerAsync(McpServerRegistration registration, CancellationToken cancellationToken = default) =>
        _mcpServers.UpsertMcpServerAsync(registration, cancellationToken);

    /// <inheritdoc />
    public Task<McpServer?> GetMcpServerAsync(Guid id, CancellationToken cancellationToken = default) =>
        _mcpServers.GetMcpServerAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<McpServer?> GetMcpServerByNameAsync(string name, CancellationToken cancellationToken = default) =>
        _mcpServers.GetMcpServerByNameAsync(name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<McpServer>> ListMcpServersAsync(McpServerQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _mcpServers.ListMcpServersAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteMcpServerAsync(Guid id, CancellationToken cancellationToken = default) =>
        _mcpServers.DeleteMcpServerAsync(id, cancellationToken);

    // ICredentialStore
    /// <inheritdoc />
    public Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default) =>
        _credentials.CreateCredentialAsync(credential, cancellationToken);

    /// <inheritdoc />
    public Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default) =>
        _credentials.GetCredentialAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default) =>
        _credentials.UpdateCredentialAsync(credential, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default) =>
        _credentials.DeleteCredentialAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default) =>
        _credentials.ListCredentialsAsync(page, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default) =>
        _credentials.RecordCredentialUseAsync(id, succeeded, cancellationToken);

    /// <inheritdoc />
    public Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default) =>
        _credentials.CreateCredentialTagAsync(name, description, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default) =>
        _credentials.ListCredentialTagsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default) =>
        _credentials.DeleteCredentialTagAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default) =>
        _credentials.TagCredentialAsync(credentialId, tagId, priority, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default) =>
        _credentials.UntagCredentialAsync(credentialId, tagId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, PageRequest page, CancellationToken cancellationToken = default) =>
        _credentials.GetCredentialsForTagAsync(tagId, page, cancellationToken);

    // ISessionStore
    /// <inheritdoc />
    public Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default) =>
        _sessions.CreateSessionAsync(session, cancellationToken);

    /// <inheritdoc />
    public Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default) =>
        _sessions.GetSessionAsync(token, cancellationToken);

    /// <inheritdoc />
    public Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default) =>
        _sessions.TouchSessionAsync(sessionId, extendTo, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        _sessions.RevokeSessionAsync(sessionId, cancellationToken);

    /// <inheritdoc />
    public Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        _sessions.RevokeUserSessionsAsync(userId, cancellationToken);

    /// <inheritdoc />
    public Task<Page<LoginSession>> ListUserSessionsAsync(Guid userId, bool activeOnly, PageRequest page, CancellationToken cancellationToken = default) =>
        _sessions.ListUserSessionsAsync(userId, activeOnly, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _sessions.PruneExpiredSessionsAsync(before, cancellationToken);

    /// <inheritdoc />
    public Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        _sessions.IssueSingleUseTokenAsync(purpose, userId, lifetime, cancellationToken);

    /// <inheritdoc />
    public Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default) =>
        _sessions.TryConsumeSingleUseTokenAsync(purpose, value, cancellationToken);

    // IAuditLog
    /// <inheritdoc />
    public Task<AuditEntry> AppendAuditAsync(NewAuditEntry entry, CancellationToken cancellationToken = default) =>
        _audit.AppendAuditAsync(entry, cancellationToken);

    /// <inheritdoc />
    public Task<Page<AuditEntry>> QueryAuditAsync(AuditQuery query, PageRequest page, CancellationToken cancellationToken = default) =>
        _audit.QueryAuditAsync(query, page, cancellationToken);

    /// <inheritdoc />
    public Task<long> PurgeAuditAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        _audit.PurgeAuditAsync(before, cancellationToken);

    // IDataStreams
    /// <inheritdoc />
    public IAsyncEnumerable<User> StreamUsersAsync(CancellationToken cancellationToken = default) =>
        _users.StreamUsersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Role> StreamRolesAsync(CancellationToken cancellationToken = default) =>
        _roles.StreamRolesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<UserRoleAssignment> StreamUserRolesAsync(CancellationToken cancellationToken = default) =>
        _roles.StreamUserRolesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DirectoryGroupMapping> StreamDirectoryMappingsAsync(CancellationToken cancellationToken = default) =>
        _directoryMappings.StreamDirectoryMappingsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<OAuthProviderRow> StreamOAuthProvidersAsync(CancellationToken cancellationToken = default) =>
        _oAuthProviders.StreamOAuthProvidersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<OAuthTokenRow> StreamOAuthTokensAsync(CancellationToken cancellationToken = default) =>
        _oAuthTokens.StreamOAuthTokensAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ApiKey> StreamApiKeysAsync(CancellationToken cancellationToken = default) =>
        _apiKeys.StreamApiKeysAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ApiKeyUsage> StreamApiKeyUsageAsync(CancellationToken cancellationToken = default) =>
        _apiKeys.StreamApiKeyUsageAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ConfigEntry> StreamConfigEntriesAsync(CancellationToken cancellationToken = default) =>
        _config.StreamConfigEntriesAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<McpServer> StreamMcpServersAsync(CancellationToken cancellationToken = default) =>
        _mcpServers.StreamMcpServersAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialRow> StreamCredentialsAsync(CancellationToken cancellationToken = default) =>
        _credentials.StreamCredentialsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialTag> StreamCredentialTagsAsync(CancellationToken cancellationToken = default) =>
        _credentials.StreamCredentialTagsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<CredentialTagLink> StreamCredentialTagLinksAsync(CancellationToken cancellationToken = default) =>
        _credentials.StreamCredentialTagLinksAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<LoginSession> StreamSessionsAsync(CancellationToken cancellationToken = default) =>
        _sessions.StreamSessionsAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SingleUseToken> StreamSingleUseTokensAsync(CancellationToken cancellationToken = default) =>
        _sessions.StreamSingleUseTokensAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditEntry> StreamAuditEntriesAsync(CancellationToken cancellationToken = default) =>
        _audit.StreamAuditEntriesAsync(cancellationToken);

    // IDatabaseLifecycle
    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.GetSchemaVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<string> GetPendingMigrationSqlAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.GetPendingMigrationSqlAsync(cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TableRowCount>> CountRowsAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.CountRowsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    public string BackendName => _lifecycle.BackendName;

    public void Dispose() => _context.Dispose();

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
