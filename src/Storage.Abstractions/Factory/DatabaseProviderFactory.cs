using Microsoft.Extensions.Logging;

namespace GatewayStorage;

/// <summary>
/// Creates the <see cref="IDatabaseProvider"/> for a database URL, picking the backend by its scheme. Dependency injection
/// builds it for <c>AddGatewayStorage</c>; without it, use
/// <c>new DatabaseProviderFactory([new SqliteBackend(), new PostgresBackend()], loggerFactory)</c>.
/// </summary>
public sealed class DatabaseProviderFactory
{
    // Schemes we know of, with the package and builder call that serve them, to say what to add.
    private static readonly (string Scheme, string Package, string Call)[] KnownSchemes =
    [
        ("sqlite", "GatewayStorage.Sqlite", ".AddSqlite()"),
        ("postgres", "GatewayStorage.Postgres", ".AddPostgres()"),
        ("postgresql", "GatewayStorage.Postgres", ".AddPostgres()"),
    ];

    private readonly IReadOnlyList<IDatabaseBackend> _backends;
    private readonly IServiceProvider _services;

    /// <summary>Creates the factory over the registered backends.</summary>
    /// <param name="backends">The registered backends.</param>
    /// <param name="services">The application's services, handed to the backend.</param>
    public DatabaseProviderFactory(IEnumerable<IDatabaseBackend> backends, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(services);
        _backends = backends.ToArray();
        _services = services;
    }

    /// <summary>Creates the factory without dependency injection.</summary>
    /// <param name="backends">The backends to pick from, for example <c>new SqliteBackend()</c> and <c>new PostgresBackend()</c>.</param>
    /// <param name="loggerFactory">Where providers log; <see langword="null"/> for no logging.</param>
    /// <param name="timeProvider">The clock providers use; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public DatabaseProviderFactory(IEnumerable<IDatabaseBackend> backends, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(backends, new StandaloneServices(loggerFactory, timeProvider ?? TimeProvider.System))
    {
    }

    /// <summary>Finds the backend that serves a URL's scheme.</summary>
    /// <param name="url">The database URL.</param>
    /// <returns>The backend.</returns>
    /// <exception cref="StorageConfigurationException">
    /// The URL has no scheme, an unknown one, or one whose backend package is not registered. The message names
    /// the scheme, the supported ones and the package to add; it never contains the URL or its password.
    /// </exception>
    public IDatabaseBackend GetBackend(string url)
    {
        if (!DatabaseUrl.TryGetScheme(url, out var scheme))
        {
            throw new StorageConfigurationException(
                "The database URL has no scheme. Use 'sqlite:./data/gateway.db', 'sqlite::memory:' or 'postgresql://user:password@host:5432/database'.");
        }

        foreach (var backend in _backends)
        {
            if (backend.Schemes.Contains(scheme))
            {
                return backend;
            }
        }

        var registered = _backends.SelectMany(b => b.Schemes).Order(StringComparer.Ordinal).ToArray();
        var registeredText = registered.Length == 0 ? "none" : string.Join(", ", registered);
        foreach (var known in KnownSchemes)
        {
            if (known.Scheme == scheme)
            {
                throw new StorageConfigurationException(
                    $"The database URL scheme '{scheme}' needs the {known.Package} package: reference it and call {known.Call} on services.AddGatewayStorage(...). Registered schemes: {registeredText}.");
            }
        }

        var supported = string.Join(", ", KnownSchemes.Select(k => k.Scheme));
        throw new StorageConfigurationException(
            $"The database URL scheme '{scheme}' is not supported. Supported schemes: {supported} (registered here: {registeredText}).");
    }

    /// <summary>Creates a provider for a URL; <see langword="null"/> or empty means the embedded default.</summary>
    /// <param name="url">The database URL, or <see langword="null"/> for <see cref="GatewayStorageOptions.DefaultUrl"/>.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>.</param>
    /// <returns>The provider; the caller disposes it.</returns>
    /// <exception cref="StorageConfigurationException">The URL cannot be used (see <see cref="GetBackend"/>).</exception>
    public IDatabaseProvider Create(string? url, GatewayStorageOptions? options = null)
    {
        var effectiveUrl = string.IsNullOrWhiteSpace(url) ? GatewayStorageOptions.DefaultUrl : url;
        return GetBackend(effectiveUrl).Create(effectiveUrl, options ?? new GatewayStorageOptions(), _services);
    }

    // The two services a backend asks for when there is no container: a logger factory and a clock.
    private sealed class StandaloneServices(ILoggerFactory? loggerFactory, TimeProvider timeProvider) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(ILoggerFactory) ? loggerFactory
            : serviceType == typeof(TimeProvider) ? timeProvider
            : null;
    }
}
