using GatewayStorage.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Security;

/// <summary>Where the encryption key comes from when none is configured: a key file for SQLite, a refusal for PostgreSQL.</summary>
public sealed class EncryptionKeyProvisioningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gs-keys-").FullName;

    [Fact]
    public async Task Sqlite_without_a_key_creates_an_owner_only_key_file_beside_the_database_and_warns()
    {
        var path = Path.Combine(_folder, "gateway.db");
        var logs = new LogCapture();

        await using (var db = Create(new SqliteBackend(), $"sqlite:{path}", logs))
        {
            await db.MigrateAsync();
        }

        var keyFile = path + ".key";
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var key = await File.ReadAllTextAsync(keyFile);
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains(keyFile, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(key.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sqlite_reuses_its_key_file_on_the_next_start()
    {
        var path = Path.Combine(_folder, "again.db");
        await using (var first = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()))
        {
            await first.MigrateAsync();
        }

        var key = await File.ReadAllTextAsync(path + ".key");
        await using (var second = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()))
        {
            await second.MigrateAsync();
        }

        Assert.Equal(key, await File.ReadAllTextAsync(path + ".key"));
    }

    [Fact]
    public async Task Sqlite_with_a_lost_key_file_beside_a_database_holding_secrets_refuses_to_start_and_creates_no_key_file()
    {
        var path = Path.Combine(_folder, "lost.db");
        await using (var first = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()))
        {
            await first.MigrateAsync();
            await first.CreateCredentialAsync(new NewCredential("svc", "pw-lost-key-file"));
        }

        File.Delete(path + ".key");

        var error = Assert.Throws<StorageConfigurationException>(() => Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()));

        Assert.False(File.Exists(path + ".key"));
        Assert.Contains(path + ".key", error.Message, StringComparison.Ordinal);
        Assert.Contains("restore the key file", error.Message, StringComparison.Ordinal);
        Assert.Contains(GatewayStorageOptions.EncryptionKeyVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-lost-key-file", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_with_a_lost_key_file_beside_a_database_holding_only_api_keys_refuses_to_start()
    {
        var path = Path.Combine(_folder, "apikeys.db");
        await using (var first = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()))
        {
            var user = await first.CreateUserAsync(new NewUser("ci@example.org"));
            await first.CreateApiKeyAsync(new NewApiKey(user.Id, "ci"));
        }

        File.Delete(path + ".key");

        Assert.Throws<StorageConfigurationException>(() => Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()));
        Assert.False(File.Exists(path + ".key"));
    }

    [Fact]
    public async Task Sqlite_with_a_restored_key_file_starts_and_reads_its_secrets()
    {
        var path = Path.Combine(_folder, "restored.db");
        Guid id;
        await using (var first = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()))
        {
            id = (await first.CreateCredentialAsync(new NewCredential("svc", "pw-restored"))).Id;
        }

        var backup = await File.ReadAllBytesAsync(path + ".key");
        File.Delete(path + ".key");
        Assert.Throws<StorageConfigurationException>(() => Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture()));
        await File.WriteAllBytesAsync(path + ".key", backup);

        await using var again = Create(new SqliteBackend(), $"sqlite:{path}", new LogCapture());
        Assert.Equal("pw-restored", (await again.GetCredentialAsync(id))!.Secret);
    }

    [Fact]
    public async Task Sqlite_in_memory_without_a_key_writes_no_file_and_warns()
    {
        var logs = new LogCapture();
        await using var db = Create(new SqliteBackend(), "sqlite::memory:", logs);
        await db.MigrateAsync();

        Assert.Empty(Directory.GetFiles(_folder));
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("in-memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_without_a_key_refuses_to_start_with_a_message_that_says_what_to_set()
    {
        if (Environment.GetEnvironmentVariable(GatewayStorageOptions.EncryptionKeyVariable) is { Length: > 0 })
        {
            return; // The variable would supply the key; the refusal cannot happen in this environment.
        }

        var error = Assert.Throws<StorageConfigurationException>(
            () => Create(new PostgresBackend(), "postgresql://gateway:hunter2@127.0.0.1:1/gateway", new LogCapture()));

        Assert.Contains("EncryptionKeys", error.Message, StringComparison.Ordinal);
        Assert.Contains(GatewayStorageOptions.EncryptionKeyVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_key_that_is_not_32_bytes_of_base64_is_refused_without_echoing_it()
    {
        var error = Assert.ThrowsAny<Exception>(() => Create(new SqliteBackend(), "sqlite::memory:", new LogCapture(),
            o => o.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "short", Key = "c2hvcnQta2V5LXZhbHVl" })));

        Assert.DoesNotContain("c2hvcnQta2V5LXZhbHVl", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IDatabaseProvider Create(IDatabaseBackend backend, string url, LogCapture logs, Action<GatewayStorageOptions>? configure = null)
    {
        var options = new GatewayStorageOptions { Url = url, StartupRetryTimeout = TimeSpan.Zero };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .BuildServiceProvider();
        return backend.Create(url, options, services);
    }
}
