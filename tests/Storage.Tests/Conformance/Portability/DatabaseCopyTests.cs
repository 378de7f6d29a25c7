using GatewayStorage.Portability;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Portability;

/// <summary>Copies between SQLite and PostgreSQL, both ways, and between two databases of one engine.</summary>
public sealed class DatabaseCopyTests(SqliteFixture sqlite, PostgresFixture postgres) : IClassFixture<SqliteFixture>, IClassFixture<PostgresFixture>
{
    private static readonly string OtherKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
    private static readonly string ThirdKey = Convert.ToBase64String(Enumerable.Range(151, 32).Select(i => (byte)i).ToArray());

    private IStorageFixture Fixture(string backend) => backend == "sqlite" ? sqlite : postgres;

    /// <summary>A fresh database of <paramref name="backend"/>, migrated by a provider with the test key.</summary>
    private async Task<(IDatabaseProvider Db, string Url)> FreshAsync(string backend, string? key = null)
    {
        var fixture = Fixture(backend);
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, key is null ? null : options => UseOnly(options, key));
        await db.MigrateAsync();
        return (db, url);
    }

    private static void UseOnly(GatewayStorageOptions options, string key)
    {
        options.EncryptionKeys.Clear();
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "other", Key = key });
    }

    private static IEnumerable<string> Digests(DatabaseCopyReport report, bool target) =>
        report.Tables.Select(t => $"{t.Table}:{(target ? t.TargetDigest : t.SourceDigest)}");

    [Fact]
    public async Task A_dataset_copied_from_SQLite_to_PostgreSQL_and_back_keeps_every_digest_and_entity()
    {
        var (original, _) = await FreshAsync("sqlite");
        var data = await CopyDataset.SeedAsync(original, sqlite);
        var (middle, _) = await FreshAsync("postgres");
        var (final, _) = await FreshAsync("sqlite");

        var there = await DatabaseCopier.CopyAsync(original, middle);
        var back = await DatabaseCopier.CopyAsync(middle, final);

        Assert.True(there.Verified, string.Join(", ", there.Differences.Select(d => d.Table)));
        Assert.True(back.Verified, string.Join(", ", back.Differences.Select(d => d.Table)));
        Assert.True(there.Committed && back.Committed);
        Assert.Empty(there.Warnings.Concat(back.Warnings));
        Assert.Equal(Digests(there, target: false), Digests(back, target: true));
        Assert.All(there.Tables, t => Assert.True(t.SourceRows > 0, $"{t.Table} has no row in the dataset"));
        await data.AssertReadBackAsync(middle);
        await data.AssertReadBackAsync(final);
    }

    [Theory]
    [InlineData("postgres", "sqlite")]
    [InlineData("sqlite", "sqlite")]
    [InlineData("postgres", "postgres")]
    public async Task A_copy_preserves_every_entity_and_verifies(string from, string to)
    {
        var (source, _) = await FreshAsync(from);
        var data = await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, _) = await FreshAsync(to);
        var progress = new List<CopyProgress>();

        var report = await DatabaseCopier.CopyAsync(source, target, progress: new SyncProgress<CopyProgress>(progress.Add));

        Assert.True(report.Verified);
        Assert.All(report.Tables, t => Assert.Equal(t.SourceRows, t.WrittenRows));
        Assert.Equal(report.Tables.Select(t => t.Table), progress.Where(p => p.Completed).Select(p => p.Table));
        await data.AssertReadBackAsync(target);
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task A_copy_cancelled_halfway_leaves_the_target_empty(string from, string to)
    {
        var (source, _) = await FreshAsync(from);
        await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, _) = await FreshAsync(to);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<CopyProgress>(p =>
        {
            if (p.Table == "api_keys" && !p.Completed)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseCopier.CopyAsync(source, target, progress: progress, cancellationToken: cts.Token));

        Assert.Equal(0, await target.CountUsersAsync(new UserQuery()));
        var dryRun = await DatabaseCopier.CopyAsync(target, source, new DatabaseCopyOptions { DryRun = true, SkipExisting = true });
        Assert.All(dryRun.Tables.Where(t => t.Table != "key_checks"), t => Assert.Equal(0, t.SourceRows));

        // Nothing stayed behind: a copy that refuses non-empty targets now goes through.
        Assert.True((await DatabaseCopier.CopyAsync(source, target)).Verified);
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task Copying_into_a_non_empty_target_is_refused_unless_existing_rows_are_skipped(string from, string to)
    {
        var (source, _) = await FreshAsync(from);
        await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, _) = await FreshAsync(to);
        await DatabaseCopier.CopyAsync(source, target);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseCopier.CopyAsync(source, target));
        Assert.Contains("users", refused.Message, StringComparison.Ordinal);

        var again = await DatabaseCopier.CopyAsync(source, target, new DatabaseCopyOptions { SkipExisting = true });
        Assert.True(again.Committed);
        Assert.True(again.Verified);
        Assert.All(again.Tables.Where(t => t.Table != "key_checks"), t => Assert.Equal(0, t.WrittenRows));
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task A_dry_run_reports_what_would_be_copied_and_writes_nothing(string from, string to)
    {
        var (source, _) = await FreshAsync(from);
        await CopyDataset.SeedAsync(source, Fixture(from));
        var (target, _) = await FreshAsync(to);

        var report = await DatabaseCopier.CopyAsync(source, target, new DatabaseCopyOptions { DryRun = true });

        Assert.True(report.DryRun);
        Assert.False(report.Committed);
        Assert.Equal(1, report.Tables.Single(t => t.Table == "api_keys").SourceRows);
        Assert.All(report.Tables, t => Assert.Null(t.TargetDigest));
        Assert.Equal(0, await target.CountUsersAsync(new UserQuery()));
        var copied = await DatabaseCopier.CopyAsync(source, target);
        Assert.Equal(Digests(report, target: false), Digests(copied, target: true));
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task The_copy_needs_no_key_and_the_target_decrypts_with_the_source_key(string from, string to)
    {
        var (writer, sourceUrl) = await FreshAsync(from);
        var data = await CopyDataset.SeedAsync(writer, Fixture(from));
        var (_, targetUrl) = await FreshAsync(to);

        // Both providers of the copy hold keys that can read nothing stored: the copy never decrypts or hashes.
        var source = Fixture(from).CreateProvider(sourceUrl, options => UseOnly(options, OtherKey));
        var target = Fixture(to).CreateProvider(targetUrl, options => UseOnly(options, ThirdKey));
        var report = await DatabaseCopier.CopyAsync(source, target);

        Assert.True(report.Verified);
        await data.AssertReadBackAsync(Fixture(to).CreateProvider(targetUrl));

        // The target provider of the copy, keyed otherwise, is warned about what it could not read or verify.
        Assert.Equal(2, report.Warnings.Count);
        Assert.Contains(report.Warnings, w => w.Contains(StorageFixture.TestKeyId, StringComparison.Ordinal) && w.Contains("not decrypt", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("ApiKeyHashKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_target_opened_with_other_keys_is_refused()
    {
        var (source, _) = await FreshAsync("sqlite");
        await CopyDataset.SeedAsync(source, sqlite);
        var (target, _) = await FreshAsync("postgres", key: OtherKey);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseCopier.CopyAsync(source, target));

        Assert.Contains(StorageFixture.IdOf(OtherKey), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_at_another_schema_version_is_refused()
    {
        var (source, _) = await FreshAsync("postgres");
        var target = sqlite.CreateProvider(await sqlite.CreateDatabaseAsync(), options => options.AutoMigrate = false);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseCopier.CopyAsync(source, target));

        Assert.Contains("schema version", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_databases_both_behind_the_library_schema_are_refused()
    {
        var source = postgres.CreateProvider(await postgres.CreateDatabaseAsync(), options => options.AutoMigrate = false);
        var target = sqlite.CreateProvider(await sqlite.CreateDatabaseAsync(), options => options.AutoMigrate = false);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseCopier.CopyAsync(source, target));

        Assert.Contains("Migrate both databases", refused.Message, StringComparison.Ordinal);
    }
}
