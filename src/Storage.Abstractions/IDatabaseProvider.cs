namespace GatewayStorage;

/// <summary>
/// The one object an application holds: every store of GatewayStorage over one database. Code that needs
/// only one part may depend on that part alone (<see cref="IApiKeyStore"/>, <see cref="IUserStore"/>, …).
/// Every implementation is safe for concurrent use and is registered as a singleton.
/// </summary>
public interface IDatabaseProvider :
    IUserStore,
    IRoleStore,
    IDirectoryMappingStore,
    IOAuthProviderStore,
    IOAuthTokenStore,
    IApiKeyStore,
    IConfigStore,
    IMcpServerStore,
    ICredentialStore,
    ISessionStore,
    IAuditLog,
    IDataStreams,
    IDatabaseLifecycle,
    IAsyncDisposable,
    IDisposable
{
}
