using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GatewayStorage;

/// <summary>Registers GatewayStorage in a service collection.</summary>
public static class GatewayStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers GatewayStorage with options bound from the <c>GatewayStorage</c> section of
    /// <paramref name="configuration"/>. The URL falls back to the <c>DATABASE_URL</c> setting (or environment
    /// variable), then to <c>sqlite:./data/gateway.db</c>. Add backends on the returned builder:
    /// <c>services.AddGatewayStorage(configuration).AddSqlite().AddPostgres();</c>. Registers
    /// <see cref="IDatabaseProvider"/> and each of its parts (<see cref="IUserStore"/>, …) as one singleton.
    /// Under a host, start-up fails (with <see cref="StorageConfigurationException"/>, <see cref="SchemaVersionException"/>
    /// or the options' validation error) for a bad URL or scheme, a missing or wrong encryption key or an unusable
    /// schema; with auto-migrate on, migrations run when the host starts (see <see cref="IDatabaseLifecycle.InitializeAsync"/>).
    /// Calling it twice is safe: later calls add option sources but register nothing twice.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration.</param>
    /// <returns>The builder to add backends to.</returns>
    public static GatewayStorageBuilder AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        // Binding the same configuration twice would append its encryption keys twice, and fail validation.
        if (!services.Any(d => d.ServiceType == typeof(BoundConfiguration) && !d.IsKeyedService
                && d.ImplementationInstance is BoundConfiguration bound && ReferenceEquals(bound.Configuration, configuration)))
        {
            services.AddSingleton(new BoundConfiguration(configuration));
            services.AddOptions<GatewayStorageOptions>().Bind(configuration.GetSection(GatewayStorageOptions.SectionName));
            services.PostConfigure<GatewayStorageOptions>(options => ApplyFallbacks(options, configuration));
        }

        return AddCore(services);
    }

    /// <summary>
    /// Registers GatewayStorage with options set in code. The URL falls back to the <c>DATABASE_URL</c>
    /// environment variable, then to <c>sqlite:./data/gateway.db</c>. Under a host, the same start-up checks run as
    /// with the configuration overload. Calling it twice is safe.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; may be <see langword="null"/>.</param>
    /// <returns>The builder to add backends to.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0027:API with optional parameter(s) should have the most parameters amongst its public overloads",
        Justification = "The two overloads (configuration, or a delegate that may be omitted) are the documented shape of AddGatewayStorage; neither extends the other.")]
    public static GatewayStorageBuilder AddGatewayStorage(this IServiceCollection services, Action<GatewayStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var optionsBuilder = services.AddOptions<GatewayStorageOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.PostConfigure<GatewayStorageOptions>(options => ApplyFallbacks(options, configuration: null));
        return AddCore(services);
    }

    private static GatewayStorageBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<GatewayStorageOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayStorageOptions>, GatewayStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new DatabaseProviderFactory(sp.GetServices<IDatabaseBackend>(), sp));
        services.TryAddSingleton<IDatabaseProvider>(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayStorageOptions>>().Value;
            return sp.GetRequiredService<DatabaseProviderFactory>().Create(options.Url, options);
        });

        services.TryAddSingleton(static sp => StoreOf<IUserStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IRoleStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IDirectoryMappingStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IOAuthProviderStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IOAuthTokenStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IApiKeyStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IConfigStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IMcpServerStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<ICredentialStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<ISessionStore>(sp));
        services.TryAddSingleton(static sp => StoreOf<IAuditLog>(sp));
        services.TryAddSingleton(static sp => StoreOf<IDatabaseLifecycle>(sp));
        services.TryAddSingleton(static sp => StoreOf<IDataStreams>(sp));
        services.TryAddSingleton<GatewayStorageHealthCheck>();

        // Once, however often AddGatewayStorage is called: a bad configuration fails host start, not the first request.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, GatewayStorageStartup>());
        return new GatewayStorageBuilder(services);
    }

    /// <summary>
    /// The provider's own store for a focused interface (a provider hands them out as an <see cref="IServiceProvider"/>),
    /// or the provider itself, which implements every part.
    /// </summary>
    private static TStore StoreOf<TStore>(IServiceProvider services)
        where TStore : class
    {
        var provider = services.GetRequiredService<IDatabaseProvider>();
        return (provider as IServiceProvider)?.GetService(typeof(TStore)) as TStore ?? (TStore)(object)provider;
    }

    private static void ApplyFallbacks(GatewayStorageOptions options, IConfiguration? configuration)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            options.Url = FirstNonEmpty(
                configuration?[GatewayStorageOptions.DatabaseUrlVariable],
                Environment.GetEnvironmentVariable(GatewayStorageOptions.DatabaseUrlVariable),
                GatewayStorageOptions.DefaultUrl);
        }

        if (options.EncryptionKeys.Count == 0)
        {
            var key = FirstNonEmpty(
                configuration?[GatewayStorageOptions.EncryptionKeyVariable],
                Environment.GetEnvironmentVariable(GatewayStorageOptions.EncryptionKeyVariable),
                fallback: null);
            if (key is not null)
            {
                options.EncryptionKeys.Add(new EncryptionKeyOptions
                {
                    Id = "env",
                    Key = key,
                    Source = GatewayStorageOptions.EncryptionKeyVariable,
                });
            }
        }
    }

    // Marks a configuration AddGatewayStorage has already bound.
    private sealed record BoundConfiguration(IConfiguration Configuration);

    private static string? FirstNonEmpty(string? first, string? second, string? fallback) =>
        !string.IsNullOrWhiteSpace(first) ? first : !string.IsNullOrWhiteSpace(second) ? second : fallback;
}
