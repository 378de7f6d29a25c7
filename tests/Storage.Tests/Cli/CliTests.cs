using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Conformance.Portability;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Cli;

/// <summary>
/// <c>gateway-storage</c> run as a process against real databases of both engines: every command, its output, its exit
/// code, and that no password, key or secret ever reaches stdout or stderr.
/// </summary>
public sealed class CliTests(SqliteFixture sqlite, PostgresFixture postgres) : IClassFixture<SqliteFixture>, IClassFixture<PostgresFixture>, IDisposable
{
    private const string Password = "hunter2-Zq9";

    private readonly string _folder = Directory.CreateTempSubdirectory("gs-cli-").FullName;

    private IStorageFixture Fixture(string backend) => backend == "sqlite" ? sqlite : postgres;

    private Task<CliResult> RunAsync(params string[] args) => CliProcess.RunAsync(_folder, environment: null, args);

    private async Task<(IDatabaseProvider Db, string Url)> MigratedAsync(string backend, Action<GatewayStorageOptions>? configure = null)
    {
        var fixture = Fixture(backend);
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, configure);
        await db.MigrateAsync();
        return (db, url);
    }

    private static long Rows(IReadOnlyList<TableRowCount> counts, string table) => counts.Single(c => c.Table == table).Rows;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Status_shows_the_backend_engine_schema_version_health_and_row_counts(string backend)
    {
        var (db, url) = await MigratedAsync(backend);
        await db.CreateUserAsync(new NewUser(Unique.Email("status")));
        await db.CreateUserAsync(new NewUser(Unique.Email("status")));

        var result = await RunAsync("status", "--url", url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(backend, result.Output, StringComparison.Ordinal);
        Assert.Contains($"{await db.GetSchemaVersionAsync()} (up to date)", result.Output, StringComparison.Ordinal);
        Assert.Contains((await db.CheckHealthAsync()).EngineVersion!, result.Output, StringComparison.Ordinal);
        Assert.Contains("healthy", result.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"users\W+2\W"), result.Output);
        Assert.Matches(new Regex(@"credentials\W+0\W"), result.Output);
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task Copy_prints_a_verified_report_with_progress_and_the_target_reads_back_every_entity(string from, string to)
    {
        var (source, sourceUrl) = await MigratedAsync(from);
        var data = await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, targetUrl) = await MigratedAsync(to);

        var result = await RunAsync("copy", "--from", sourceUrl, "--to", targetUrl);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(new Regex(@"^users: [\d,]+ rows copied", RegexOptions.Multiline), result.Output);
        Assert.Contains("Verified:", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("NO", result.Output, StringComparison.Ordinal);
        await data.AssertReadBackAsync(target);
        Assert.All(data.Secrets, secret => Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Copy_with_skip_existing_into_a_target_that_then_differs_from_the_source_exits_1_naming_the_table()
    {
        var (source, sourceUrl) = await MigratedAsync("postgres");
        await source.CreateUserAsync(new NewUser(Unique.Email("source")));
        var (target, targetUrl) = await MigratedAsync("sqlite");
        await target.CreateUserAsync(new NewUser(Unique.Email("only-in-target")));

        var result = await RunAsync("copy", "--from", sourceUrl, "--to", targetUrl, "--skip-existing");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("verification failed for users", result.Error, StringComparison.Ordinal);
        Assert.Contains("existing rows were kept", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, Rows(await target.CountRowsAsync(), "users"));
    }

    [Fact]
    public async Task Copy_into_a_non_empty_target_is_refused_with_exit_code_2_and_changes_nothing()
    {
        var (source, sourceUrl) = await MigratedAsync("sqlite");
        await source.CreateUserAsync(new NewUser(Unique.Email("source")));
        var (target, targetUrl) = await MigratedAsync("postgres");
        await target.CreateUserAsync(new NewUser(Unique.Email("already-there")));

        var result = await RunAsync("copy", "--from", sourceUrl, "--to", targetUrl);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, Rows(await target.CountRowsAsync(), "users"));

        var dryRun = await RunAsync("copy", "--from", sourceUrl, "--to", targetUrl, "--dry-run", "--skip-existing");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("nothing was written", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(1, Rows(await target.CountRowsAsync(), "users"));
    }

    [Theory]
    [InlineData("sqlite", "postgres", "export.zip")]
    [InlineData("postgres", "sqlite", "export.tar.gz")]
    public async Task Export_then_import_into_the_other_engine_reads_back_every_entity(string from, string to, string fileName)
    {
        var (source, sourceUrl) = await MigratedAsync(from);
        var data = await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, targetUrl) = await MigratedAsync(to);
        var file = Path.Combine(_folder, fileName);

        var exported = await RunAsync("export", "--url", sourceUrl, "--out", file);
        var imported = await RunAsync("import", "--url", targetUrl, "--in", file);

        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("Verified:", imported.Output, StringComparison.Ordinal);
        await data.AssertReadBackAsync(target);
        Assert.All(data.Secrets, secret => Assert.DoesNotContain(secret, exported.All + imported.All, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sqlite_database_whose_key_file_is_lost_is_still_exported_copied_and_backed_up_as_stored_without_a_new_key_file()
    {
        // Written under the test key; then no key is configured and no key file lies beside it, as after losing it.
        var (source, sourceUrl) = await MigratedAsync("sqlite");
        var data = await CopyDataset.SeedAsync(source, sqlite);
        var path = sourceUrl["sqlite:".Length..];
        var checksBefore = await KeyCheckIdsAsync(sqlite, sourceUrl);
        var noKey = new Dictionary<string, string?>();
        var file = Path.Combine(_folder, "lost-key.zip");
        var (copyTarget, copyTargetUrl) = await MigratedAsync("postgres");

        var status = await CliProcess.RunAsync(_folder, noKey, "status", "--url", sourceUrl);
        var exported = await CliProcess.RunAsync(_folder, noKey, "export", "--url", sourceUrl, "--out", file);
        var backedUp = await CliProcess.RunAsync(_folder, noKey, "backup", "--url", sourceUrl, "--out", Path.Combine(_folder, "lost-key-backup.db"));
        var copied = await RunAsync("copy", "--from", sourceUrl, "--to", copyTargetUrl);

        // Reading the stored rows needs no key; anything that would decrypt still refuses, naming the lost file.
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("key file", status.Error, StringComparison.Ordinal);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.True(backedUp.ExitCode == 0, backedUp.ToString());
        Assert.True(copied.ExitCode == 0, copied.ToString());
        Assert.False(File.Exists(path + ".key"), "A key file was created beside a database whose data is under another key.");
        Assert.Equal(checksBefore, await KeyCheckIdsAsync(sqlite, sourceUrl));

        // The ciphertext travelled intact: with the right key, every secret reads back.
        var (target, targetUrl) = await MigratedAsync("postgres");
        var imported = await RunAsync("import", "--url", targetUrl, "--in", file);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        await data.AssertReadBackAsync(target);
        await data.AssertReadBackAsync(copyTarget);
    }

    private static async Task<List<string>> KeyCheckIdsAsync(IStorageFixture fixture, string url)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT key_id FROM key_checks ORDER BY key_id";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Import_of_a_truncated_file_exits_1_and_writes_nothing(string backend)
    {
        var (source, sourceUrl) = await MigratedAsync("sqlite");
        await source.CreateUserAsync(new NewUser(Unique.Email("truncated")));
        var file = Path.Combine(_folder, $"full-{backend}.zip");
        Assert.Equal(0, (await RunAsync("export", "--url", sourceUrl, "--out", file)).ExitCode);
        var truncated = Path.Combine(_folder, $"truncated-{backend}.zip");
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var (target, targetUrl) = await MigratedAsync(backend);

        var result = await RunAsync("import", "--url", targetUrl, "--in", truncated);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Rows(await target.CountRowsAsync(), "users"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Migrate_script_prints_the_pending_sql_without_applying_it_and_migrate_applies_it(string backend)
    {
        var fixture = Fixture(backend);
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, options => options.AutoMigrate = false);

        var script = await RunAsync("migrate", "--url", url, "--script");

        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.Contains("CREATE TABLE", script.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await db.GetSchemaVersionAsync());

        var migrate = await RunAsync("migrate", "--url", url);
        var again = await RunAsync("migrate", "--url", url, "--script");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0001", migrate.Output, StringComparison.Ordinal);
        var version = await db.GetSchemaVersionAsync();
        Assert.True(version >= 1);
        Assert.Contains($"at version {version}", migrate.Output, StringComparison.Ordinal);
        Assert.Contains("nothing to apply", again.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Backup_copies_a_SQLite_database_and_points_PostgreSQL_to_pg_dump(string backend)
    {
        var (db, url) = await MigratedAsync(backend);
        var user = await db.CreateUserAsync(new NewUser(Unique.Email("backup")));
        var file = Path.Combine(_folder, $"backup-{backend}.db");

        var result = await RunAsync("backup", "--url", url, "--out", file);

        if (backend == "postgres")
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("pg_dump", result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(file));
            return;
        }

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var restored = sqlite.CreateProvider("sqlite:" + file);
        Assert.Equal(user, await restored.GetUserAsync(user.Id));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Prune_deletes_expired_sessions_and_audit_entries_before_the_date_and_keeps_the_rest(string backend)
    {
        var now = DateTimeOffset.UtcNow;
        var (db, url) = await MigratedAsync(backend);
        await using var past = Fixture(backend).CreateProvider(url, time: new FixedTimeProvider(now.AddDays(-10)));
        var user = await db.CreateUserAsync(new NewUser(Unique.Email("prune")));
        await past.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromHours(1)));
        await past.AppendAuditAsync(new NewAuditEntry("old.entry"));
        await db.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromDays(1)));
        await db.AppendAuditAsync(new NewAuditEntry("new.entry"));
        var before = now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var result = await RunAsync("prune", "--url", url, "--before", before);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(new Regex(@"expired sessions and single-use tokens\W+1\W"), result.Output);
        var counts = await db.CountRowsAsync();
        Assert.Equal(1, Rows(counts, "sessions"));
        Assert.Equal(1, Rows(counts, "audit_log"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rotate_keys_re_encrypts_every_secret_under_the_newest_configured_key(string backend)
    {
        var (oldKey, newKey) = (Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var (db, url) = await MigratedAsync(backend, options =>
        {
            options.EncryptionKeys.Clear();
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "old", Key = oldKey });
            options.ApiKeyHashKey = StorageFixture.TestEncryptionKey;
        });
        var credential = await db.CreateCredentialAsync(new NewCredential("svc", "rotate-me-secret"));
        var environment = new Dictionary<string, string?>
        {
            ["GatewayStorage__EncryptionKeys__0__Id"] = "old",
            ["GatewayStorage__EncryptionKeys__0__Key"] = oldKey,
            ["GatewayStorage__EncryptionKeys__1__Id"] = "new",
            ["GatewayStorage__EncryptionKeys__1__Key"] = newKey,
            ["GatewayStorage__ApiKeyHashKey"] = StorageFixture.TestEncryptionKey,
        };

        var result = await CliProcess.RunAsync(_folder, environment, "rotate-keys", "--url", url, "--batch-size", "1");
        var again = await CliProcess.RunAsync(_folder, environment, "rotate-keys", "--url", url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(new Regex(@"credentials\W+1\W"), result.Output);
        Assert.Contains($"under key {StorageFixture.IdOf(newKey)}", result.Output, StringComparison.Ordinal);
        Assert.Contains("(0 re-encrypted)", again.Output, StringComparison.Ordinal);
        await using var onlyNew = Fixture(backend).CreateProvider(url, options =>
        {
            options.EncryptionKeys.Clear();
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "new", Key = newKey });
            options.ApiKeyHashKey = StorageFixture.TestEncryptionKey;
        });
        Assert.Equal("rotate-me-secret", (await onlyNew.GetCredentialAsync(credential.Id))!.Secret);
        foreach (var secret in new[] { oldKey, newKey, "rotate-me-secret" })
        {
            Assert.DoesNotContain(secret, result.All + again.All, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, int> BadUrls => new()
    {
        { $"mysql://app:{Password}@db.example.org/gateway", 2 },
        { $"postgresql://app:{Password}@[::1/gateway", 2 },
        { $"postgresql://app:{Password}@127.0.0.1:1/gateway", 3 },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task A_bad_or_unreachable_URL_gives_one_clear_line_and_its_exit_code_and_never_the_password(string url, int exitCode)
    {
        var result = await RunAsync("status", "--url", url);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_the_PostgreSQL_server_refuses_exits_2_without_the_password()
    {
        var server = new Uri(postgres.Url);
        var url = $"postgresql://no_such_role:{Password}@{server.Host}:{server.Port}{server.AbsolutePath}";

        var result = await RunAsync("status", "--url", url);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no_such_role", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_exits_2_without_echoing_a_URL_and_help_documents_the_exit_codes()
    {
        var missingTarget = await RunAsync("copy", "--from", $"postgresql://app:{Password}@127.0.0.1/db", $"postgresql://app:{Password}@127.0.0.1/other");
        var help = await RunAsync("--help");

        Assert.True(missingTarget.ExitCode == 2, missingTarget.ToString());
        Assert.DoesNotContain(Password, missingTarget.All, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes: 0 ok; 1", help.Output, StringComparison.Ordinal);
        Assert.Contains("3 storage unavailable", help.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
