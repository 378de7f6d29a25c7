using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using GatewayStorage.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace GatewayStorage.Tests.Conformance;

/// <summary>The part of a backend fixture that does not depend on the engine.</summary>
public abstract class StorageFixture : IStorageFixture, IAsyncLifetime
{
    /// <summary>The key every fixture provider encrypts with unless a test configures others.</summary>
    public static readonly string TestEncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>The key id values under <see cref="TestEncryptionKey"/> carry: its fingerprint.</summary>
    public static readonly string TestKeyId = IdOf(TestEncryptionKey);

    /// <summary>The key id (fingerprint) of a base64 key.</summary>
    public static string IdOf(string base64Key) => GatewayStorage.Security.KeyFingerprint.IdOf(Convert.FromBase64String(base64Key));

    private readonly List<IDatabaseProvider> _created = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _secrets = [];
    private IDatabaseProvider? _provider;
    private string? _url;

    public abstract string Backend { get; }

    public IDatabaseProvider Provider => _provider ?? throw new InvalidOperationException("The fixture is not initialised.");

    public string Url => _url ?? throw new InvalidOperationException("The fixture is not initialised.");

    public LogCapture Logs { get; } = new();

    private readonly FakeLoggerProvider _records = new();

    public FakeLogCollector LogRecords => _records.Collector;

    public void RegisterSecret(string secret) => _secrets.Add(secret);

    public abstract Task<string> CreateDatabaseAsync();

    public abstract Task<DbConnection> OpenRawConnectionAsync(string url);

    protected abstract IDatabaseBackend CreateBackend();

    public IDatabaseProvider CreateProvider(string url, Action<GatewayStorageOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new GatewayStorageOptions { Url = url, StartupRetryTimeout = TimeSpan.Zero };
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "test", Key = TestEncryptionKey });
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton(time ?? TimeProvider.System)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace)
                // Npgsql logs every command at Debug and Information: only its warnings and errors, to keep the suite fast.
                .AddFilter("Npgsql", LogLevel.Warning)
                .AddProvider(Logs).AddProvider(_records))
            .BuildServiceProvider();
        var provider = CreateBackend().Create(url, options, services);
        lock (_created)
        {
            _created.Add(provider);
        }

        return provider;
    }

    public async Task InitializeAsync()
    {
        _url = await CreateDatabaseAsync();
        _provider = CreateProvider(_url);
        await _provider.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        IDatabaseProvider[] created;
        lock (_created)
        {
            created = [.. _created];
        }

        foreach (var provider in created)
        {
            await provider.DisposeAsync();
        }

        await CleanUpAsync();

        // The whole class's log, checked once: no secret a test used may appear in any line.
        var leaks = _secrets.Where(secret => Logs.Lines.Any(line => line.Contains(secret, StringComparison.Ordinal))).ToList();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException($"{leaks.Count} secret(s) used by the tests appeared in the {Backend} provider's log.");
        }
    }

    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
