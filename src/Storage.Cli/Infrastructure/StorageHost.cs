using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayStorage.Cli.Infrastructure;

/// <summary>
/// The library as an application sees it: options bound by <c>AddGatewayStorage</c> from the environment (so the URL
/// and the keys resolve exactly as in a gateway: <c>GatewayStorage__…</c>, <c>DATABASE_URL</c>, <c>ENCRYPTION_KEY</c>,
/// the embedded default), both backends registered, and providers made by the library's factory.
/// </summary>
internal sealed class StorageHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IDatabaseProvider> _providers = [];
    private readonly IOptionsFactory<GatewayStorageOptions> _optionsFactory;

    private StorageHost(ServiceProvider services)
    {
        _services = services;
        Options = services.GetRequiredService<IOptions<GatewayStorageOptions>>().Value;
        Factory = services.GetRequiredService<DatabaseProviderFactory>();
        _optionsFactory = services.GetRequiredService<IOptionsFactory<GatewayStorageOptions>>();
    }

    /// <summary>The resolved options (validated by the library).</summary>
    public GatewayStorageOptions Options { get; }

    private DatabaseProviderFactory Factory { get; }

    /// <summary>Binds the options; <paramref name="url"/>, when given, is the <c>--url</c> option and wins.</summary>
    public static StorageHost Start(string? url, bool verbose)
    {
        // An operator's tool: no schema change unless asked ('migrate'), and no 30 s of retries on a database that is down.
        var defaults = new Dictionary<string, string?>
        {
            [$"{GatewayStorageOptions.SectionName}:AutoMigrate"] = "false",
            [$"{GatewayStorageOptions.SectionName}:StartupRetryTimeout"] = "00:00:00",
        };
        var builder = new ConfigurationBuilder().AddInMemoryCollection(defaults).AddEnvironmentVariables();
        if (url is not null)
        {
            builder.AddInMemoryCollection([new($"{GatewayStorageOptions.SectionName}:Url", url)]);
        }

        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddGatewayStorage(builder.Build()).AddSqlite().AddPostgres();
        var provider = services.BuildServiceProvider();
        try
        {
            return new StorageHost(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>A provider for the configured URL, or for <paramref name="url"/>; disposed with the host.</summary>
    public IDatabaseProvider Open(string? url = null)
    {
        var provider = Factory.Create(url ?? Options.Url, Options);
        _providers.Add(provider);
        return provider;
    }

    /// <summary>
    /// A provider that only reads the stored rows as they are (an export, a copy's source, a backup), which never
    /// decrypts anything. When no encryption key is configured it gets a throwaway in-memory key instead of the SQLite
    /// key file: reading creates no key file beside the database, and a lost key file does not stop a copy or an export
    /// of the still-encrypted values (the key checks travel with them, so the right key is still needed to read them).
    /// </summary>
    public IDatabaseProvider OpenToReadStoredRows(string? url = null)
    {
        if (Options.EncryptionKeys.Count > 0)
        {
            return Open(url);
        }

        var options = _optionsFactory.Create(Microsoft.Extensions.Options.Options.DefaultName);
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "unused", Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        var provider = Factory.Create(url ?? Options.Url, options);
        _providers.Add(provider);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
        }

        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
