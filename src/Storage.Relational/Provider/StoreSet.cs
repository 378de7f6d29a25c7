using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// One store per domain over one shared <see cref="StoreContext"/> (and so one data source), and the lookup of each
/// by the focused interface it serves.
/// </summary>
internal sealed class StoreSet : IServiceProvider
{
    public StoreSet(
        RelationalBackendParts backend,
        StorageSecrets secrets,
        GatewayStorageOptions options,
        bool autoMigrate,
        TimeProvider time,
        ILogger logger)
    {
        Context = new StoreContext(backend, secrets, options, autoMigrate, time, logger);
        Users = new UserStore(Context);
        Roles = new RoleStore(Context);
        DirectoryMappings = new DirectoryMappingStore(Context);
        OAuthProviders = new OAuthProviderStore(Context);
        OAuthTokens = new OAuthTokenStore(Context);
        ApiKeys = new ApiKeyStore(Context);
        Config = new ConfigStore(Context);
        McpServers = new McpServerStore(Context);
        Credentials = new CredentialStore(Context);
        Sessions = new SessionStore(Context);
        Audit = new AuditStore(Context);
        Lifecycle = new DatabaseLifecycle(Context);
    }

    public StoreContext Context { get; }

    public UserStore Users { get; }

    public RoleStore Roles { get; }

    public DirectoryMappingStore DirectoryMappings { get; }

    public OAuthProviderStore OAuthProviders { get; }

    public OAuthTokenStore OAuthTokens { get; }

    public ApiKeyStore ApiKeys { get; }

    public ConfigStore Config { get; }

    public McpServerStore McpServers { get; }

    public CredentialStore Credentials { get; }

    public SessionStore Sessions { get; }

    public AuditStore Audit { get; }

    public DatabaseLifecycle Lifecycle { get; }

    /// <summary>The store that serves <paramref name="serviceType"/>, one of the focused interfaces; otherwise <see langword="null"/>.</summary>
    public object? GetService(Type serviceType) => serviceType switch
    {
        _ when serviceType == typeof(IUserStore) => Users,
        _ when serviceType == typeof(IRoleStore) => Roles,
        _ when serviceType == typeof(IDirectoryMappingStore) => DirectoryMappings,
        _ when serviceType == typeof(IOAuthProviderStore) => OAuthProviders,
        _ when serviceType == typeof(IOAuthTokenStore) => OAuthTokens,
        _ when serviceType == typeof(IApiKeyStore) => ApiKeys,
        _ when serviceType == typeof(IConfigStore) => Config,
        _ when serviceType == typeof(IMcpServerStore) => McpServers,
        _ when serviceType == typeof(ICredentialStore) => Credentials,
        _ when serviceType == typeof(ISessionStore) => Sessions,
        _ when serviceType == typeof(IAuditLog) => Audit,
        _ when serviceType == typeof(IDatabaseLifecycle) => Lifecycle,
        _ => null,
    };
}
