namespace GatewayStorage;

/// <summary>
/// A storage backend that <see cref="DatabaseProviderFactory"/> can pick by URL scheme. Backend packages
/// register one (<c>.AddSqlite()</c>, <c>.AddPostgres()</c>); applications do not implement it.
/// </summary>
public interface IDatabaseBackend
{
    /// <summary>The backend's name, for example <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>The lower-case URL schemes the backend serves, for example <c>postgres</c> and <c>postgresql</c>.</summary>
    IReadOnlyCollection<string> Schemes { get; }

    /// <summary>Creates a provider for a URL with one of <see cref="Schemes"/>.</summary>
    /// <param name="url">The database URL.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="services">The application's services (time provider, logging, a host-registered data source).</param>
    /// <returns>The provider; the caller disposes it.</returns>
    /// <exception cref="StorageConfigurationException">The URL or the options cannot be used.</exception>
    IDatabaseProvider Create(string url, GatewayStorageOptions options, IServiceProvider services);
}
