using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class EncryptionKeyFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gs-keyfile-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void PathBeside_appends_dot_key_to_the_database_path()
    {
        Assert.Equal("./data/gateway.db.key", EncryptionKeyFile.PathBeside("./data/gateway.db"));
    }

    [Fact]
    public void LoadOrCreate_creates_a_32_byte_key_file_in_a_missing_folder_and_reloads_it_identically()
    {
        var path = Path.Combine(_folder, "nested", "gateway.db.key");

        var key = EncryptionKeyFile.LoadOrCreate(path, out var created);
        var again = EncryptionKeyFile.LoadOrCreate(path, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(32, key.Length);
        Assert.Equal(key, again);
        Assert.Equal(Convert.ToBase64String(key) + "\n", File.ReadAllText(path));
        Assert.Equal(new[] { "gateway.db.key" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOrCreate_creates_the_file_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "gateway.db.key");

        EncryptionKeyFile.LoadOrCreate(path, out _);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Concurrent_callers_all_get_the_same_key_and_one_of_them_creates_it()
    {
        for (var round = 0; round < 10; round++)
        {
            var path = Path.Combine(_folder, $"race-{round}.db.key");
            using var start = new Barrier(8);

            var results = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(_ => Task.Factory.StartNew(
                    () =>
                    {
                        start.SignalAndWait();
                        var key = EncryptionKeyFile.LoadOrCreate(path, out var created);
                        return (Key: Convert.ToBase64String(key), Created: created);
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default)));

            Assert.Single(results.Select(r => r.Key).Distinct(StringComparer.Ordinal));
            Assert.Single(results, r => r.Created);
            Assert.Equal(results[0].Key, Convert.ToBase64String(EncryptionKeyFile.LoadOrCreate(path, out _)));
        }

        Assert.DoesNotContain(Directory.GetFiles(_folder), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all, hunter2")]
    [InlineData("c2hvcnQta2V5LWh1bnRlcjI=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_malformed_key_file_is_rejected_naming_the_path_not_the_content(string content)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "gateway.db.key");
        File.WriteAllText(path, content);

        var exception = Assert.Throws<StorageConfigurationException>(() => EncryptionKeyFile.LoadOrCreate(path, out _));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        if (content.Length > 0)
        {
            Assert.DoesNotContain(content, exception.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]
    public void A_key_file_written_by_hand_with_or_without_a_newline_is_accepted(string newline)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "gateway.db.key");
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(key) + newline);

        Assert.Equal(key, EncryptionKeyFile.LoadOrCreate(path, out var created));
        Assert.False(created);
    }
}
