using System.Text;
using System.Text.Json.Nodes;
using GatewayStorage.Portability;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Portability;

/// <summary>Export to a portable file and import from it, between SQLite and PostgreSQL, and every file that is refused.</summary>
public sealed class PortableFileTests(SqliteFixture sqlite, PostgresFixture postgres) : IClassFixture<SqliteFixture>, IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly string OtherKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private readonly string _directory = Directory.CreateTempSubdirectory("gs-portable-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IStorageFixture Fixture(string backend) => backend == "sqlite" ? sqlite : postgres;

    private string FilePath(string extension) => Path.Combine(_directory, "export" + extension);

    private async Task<(IDatabaseProvider Db, string Url)> FreshAsync(string backend)
    {
        var fixture = Fixture(backend);
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        return (db, url);
    }

    /// <summary>A file exported from a seeded database of <paramref name="backend"/>.</summary>
    private async Task<(string Path, CopyDataset Data, IDatabaseProvider Source)> ExportedAsync(string backend, string extension)
    {
        var (source, _) = await FreshAsync(backend);
        var data = await CopyDataset.SeedAsync(source, Fixture(backend));
        var path = FilePath(extension);
        await DatabaseExporter.ExportAsync(source, path);
        return (path, data, source);
    }

    /// <summary>Asserts that <paramref name="target"/> holds no row (but the key check values a provider records on start).</summary>
    private static async Task AssertEmptyAsync(IDatabaseProvider target, IDatabaseProvider other)
    {
        var report = await DatabaseCopier.CopyAsync(target, other, new DatabaseCopyOptions { DryRun = true, SkipExisting = true });
        Assert.All(report.Tables.Where(t => t.Table != "key_checks"), t => Assert.Equal(0, t.SourceRows));
    }

    /// <summary>
    /// Exports a seeded database of <paramref name="from"/>, damages the file, imports it into a fresh database of
    /// <paramref name="to"/>, and returns the refusal, after checking that the target holds no row.
    /// </summary>
    private async Task<TException> RefusedAsync<TException>(string from, string to, string extension, Action<string> damage)
        where TException : Exception
    {
        var (path, _, source) = await ExportedAsync(from, extension);
        damage(path);
        var (target, _) = await FreshAsync(to);

        var refused = await Assert.ThrowsAsync<TException>(() => DatabaseImporter.ImportAsync(target, path));

        await AssertEmptyAsync(target, source);
        return refused;
    }

    private static IEnumerable<string> Digests(DatabaseCopyReport report, bool target) =>
        report.Tables.Select(t => $"{t.Table}:{t.SourceRows}:{(target ? t.TargetDigest : t.SourceDigest)}");

    [Theory]
    [InlineData("sqlite", "postgres", ".zip")]
    [InlineData("sqlite", "postgres", ".tar.gz")]
    [InlineData("postgres", "sqlite", ".zip")]
    [InlineData("postgres", "sqlite", ".tar.gz")]
    public async Task A_file_exported_from_one_engine_imports_into_the_other_with_equal_digests_and_entities(string from, string to, string extension)
    {
        var (writer, sourceUrl) = await FreshAsync(from);
        var data = await CopyDataset.SeedAsync(writer, Fixture(from));
        var (target, _) = await FreshAsync(to);
        var path = FilePath(extension);
        var progress = new List<CopyProgress>();

        // Exported by a provider whose key reads nothing stored: the export never decrypts.
        var source = Fixture(from).CreateProvider(sourceUrl, options =>
        {
            options.EncryptionKeys.Clear();
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "other", Key = OtherKey });
        });
        var exported = await DatabaseExporter.ExportAsync(source, path);
        var imported = await DatabaseImporter.ImportAsync(target, path, progress: new SyncProgress<CopyProgress>(progress.Add));

        var original = await DatabaseCopier.CopyAsync(writer, target, new DatabaseCopyOptions { DryRun = true, SkipExisting = true });
        Assert.True(exported.Verified);
        Assert.True(imported.Verified, string.Join(", ", imported.Differences.Select(d => d.Table)));
        Assert.True(imported.Committed);
        Assert.Empty(imported.Warnings);
        Assert.Equal(Digests(original, target: false), Digests(exported, target: true));
        Assert.Equal(Digests(original, target: false), Digests(imported, target: true));
        Assert.All(imported.Tables, t => Assert.Equal(t.SourceRows, t.WrittenRows));
        Assert.Equal(imported.Tables.Select(t => t.Table), progress.Where(p => p.Completed).Select(p => p.Table));
        await data.AssertReadBackAsync(target);
    }

    [Fact]
    public async Task The_file_holds_ciphertext_and_key_check_values_but_no_plaintext_secret()
    {
        var (path, data, _) = await ExportedAsync("sqlite", ".tar.gz");

        var entries = ArchiveEntries.Read(path);
        var contents = entries.Select(e => e.Data).Append(File.ReadAllBytes(path)).ToList();
        foreach (var secret in data.Secrets)
        {
            foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
            {
                var bytes = encoding.GetBytes(secret);
                Assert.All(contents, c => Assert.True(c.AsSpan().IndexOf(bytes) < 0, "a plaintext secret is in the file"));
            }
        }

        var keyChecks = Encoding.UTF8.GetString(entries.Single(e => e.Name == "tables/key_checks.jsonl").Data);
        Assert.Contains(StorageFixture.TestKeyId, keyChecks, StringComparison.Ordinal);
        var credentials = Encoding.UTF8.GetString(entries.Single(e => e.Name == "tables/credentials.jsonl").Data);
        Assert.Single(credentials.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_import_dry_run_validates_the_file_and_writes_nothing(string to)
    {
        var (path, _, source) = await ExportedAsync(to == "sqlite" ? "postgres" : "sqlite", ".zip");
        var (target, _) = await FreshAsync(to);

        var report = await DatabaseImporter.ImportAsync(target, path, new DatabaseCopyOptions { DryRun = true });

        Assert.True(report.DryRun);
        Assert.False(report.Committed);
        Assert.Equal(1, report.Tables.Single(t => t.Table == "api_keys").SourceRows);
        Assert.All(report.Tables, t => Assert.Null(t.TargetDigest));
        await AssertEmptyAsync(target, source);
        var imported = await DatabaseImporter.ImportAsync(target, path);
        Assert.Equal(Digests(report, target: false), Digests(imported, target: true));
    }

    [Theory]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    public async Task An_import_cancelled_halfway_leaves_the_target_empty(string from, string to)
    {
        var (path, _, source) = await ExportedAsync(from, ".tar.gz");
        var (target, _) = await FreshAsync(to);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<CopyProgress>(p =>
        {
            if (p.Table == "api_keys" && !p.Completed)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseImporter.ImportAsync(target, path, progress: progress, cancellationToken: cts.Token));

        await AssertEmptyAsync(target, source);
        Assert.True((await DatabaseImporter.ImportAsync(target, path)).Verified);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Importing_into_a_non_empty_target_is_refused_unless_existing_rows_are_skipped(string to)
    {
        var (path, _, _) = await ExportedAsync("sqlite", ".zip");
        var (target, _) = await FreshAsync(to);
        await DatabaseImporter.ImportAsync(target, path);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseImporter.ImportAsync(target, path));
        Assert.Contains("users", refused.Message, StringComparison.Ordinal);

        var again = await DatabaseImporter.ImportAsync(target, path, new DatabaseCopyOptions { SkipExisting = true });
        Assert.True(again.Verified);
        Assert.All(again.Tables.Where(t => t.Table != "key_checks"), t => Assert.Equal(0, t.WrittenRows));
    }

    [Theory]
    [InlineData("sqlite", ".zip")]
    [InlineData("postgres", ".tar.gz")]
    public async Task A_file_whose_row_was_edited_is_refused_naming_the_table_and_line(string to, string extension)
    {
        var refused = await RefusedAsync<PortableFileException>("sqlite", to, extension,
            path => ArchiveEntries.Edit(path, "tables/users.jsonl", EditSecondLine(row => row["is_active"] = !(bool)row["is_active"]!)));

        Assert.Equal(("users", 2L), (refused.Table, refused.Line));
        Assert.Contains("Line 2 of table users", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("is_active", "\"yes\"", "column is_active is not a boolean")]
    [InlineData("id", "\"NOT-A-UUID\"", "column id is not a lower-case UUID")]
    [InlineData("created_at", "\"2024-01-31 12:00:00\"", "column created_at is not a time")]
    [InlineData("email", "null", "column email is null")]
    public async Task A_row_of_the_wrong_shape_is_refused_naming_the_table_line_and_column(string column, string value, string expected)
    {
        var (path, _, source) = await ExportedAsync("postgres", ".zip");
        ArchiveEntries.Edit(path, "tables/users.jsonl", EditSecondLine(row => row[column] = JsonNode.Parse(value)));

        var refused = await Assert.ThrowsAsync<PortableFileException>(() => DatabaseImporter.ImportAsync(source, path, new DatabaseCopyOptions { DryRun = true }));

        Assert.Equal(("users", 2L), (refused.Table, refused.Line));
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite", ".tar.gz")]
    [InlineData("postgres", ".zip")]
    public async Task A_table_stream_cut_short_is_refused_naming_the_table_and_line(string to, string extension)
    {
        var refused = await RefusedAsync<PortableFileException>("sqlite", to, extension,
            path => ArchiveEntries.Edit(path, "tables/users.jsonl", data => data[..(Array.IndexOf(data, (byte)'\n') + 20)]));

        Assert.Equal(("users", 2L), (refused.Table, refused.Line));
        Assert.Contains("truncated", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".tar.gz")]
    [InlineData(".zip")]
    public async Task A_truncated_file_is_refused_and_the_target_stays_empty(string extension)
    {
        var refused = await RefusedAsync<PortableFileException>("postgres", "sqlite", extension,
            path => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length * 2 / 3)]));

        Assert.Contains("truncated", refused.Message, StringComparison.Ordinal);
        if (extension == ".tar.gz")
        {
            // A .tar.gz is read as a stream: the message names where it breaks. A .zip without its end has no directory of entries.
            Assert.NotNull(refused.Table);
            Assert.NotNull(refused.Line);
            Assert.Contains($"table {refused.Table}", refused.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_file_of_a_newer_format_version_is_refused(string to)
    {
        var refused = await RefusedAsync<PortableFileException>("sqlite", to, ".zip",
            path => ArchiveEntries.Edit(path, "manifest.json", EditManifest(m => m["formatVersion"] = 2)));

        Assert.Contains("format version 2, newer than this library reads (version 1)", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task A_file_of_another_schema_version_is_refused(int schemaVersion)
    {
        var refused = await RefusedAsync<DatabaseCopyRefusedException>("postgres", "sqlite", ".tar.gz",
            path => ArchiveEntries.Edit(path, "manifest.json", EditManifest(m => m["schemaVersion"] = schemaVersion)));

        Assert.Contains($"the file holds schema version {schemaVersion}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".zip")]
    [InlineData(".tar.gz")]
    public async Task A_file_missing_a_table_stream_is_refused_naming_the_table(string extension)
    {
        var refused = await RefusedAsync<PortableFileException>("sqlite", "postgres", extension,
            path => ArchiveEntries.Write(path, ArchiveEntries.Read(path).Where(e => e.Name != "tables/api_keys.jsonl").ToList()));

        Assert.Equal("api_keys", refused.Table);
        Assert.Contains("tables/api_keys.jsonl", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_digest_that_was_edited_is_refused_naming_the_table()
    {
        var (path, _, source) = await ExportedAsync("sqlite", ".zip");
        ArchiveEntries.Edit(path, "manifest.json", EditManifest(m => m["tables"]![1]!["digest"] = new string('0', 64)));

        var refused = await Assert.ThrowsAsync<PortableFileException>(() => DatabaseImporter.ImportAsync(source, path, new DatabaseCopyOptions { DryRun = true }));

        Assert.Equal(("users", (long?)null), (refused.Table, refused.Line));
    }

    [Theory]
    [InlineData("export.json")]
    [InlineData("export.tar")]
    [InlineData("")]
    public async Task A_path_that_names_neither_a_zip_nor_a_tar_gz_is_an_argument_error(string name)
    {
        var path = name.Length == 0 ? " " : FilePath(name);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => DatabaseExporter.ExportAsync(sqlite.Provider, path));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => DatabaseImporter.ImportAsync(sqlite.Provider, path));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("sqlite", ".zip")]
    [InlineData("postgres", ".tar.gz")]
    public async Task A_cancelled_export_leaves_an_existing_file_as_it_was_and_no_partial_file(string from, string extension)
    {
        var (source, _) = await FreshAsync(from);
        await CopyDataset.SeedAsync(source, Fixture(from));
        var path = FilePath(extension);
        await File.WriteAllTextAsync(path, "an earlier export");
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<CopyProgress>(p =>
        {
            if (p.Table == "api_keys" && !p.Completed)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DatabaseExporter.ExportAsync(source, path, progress, cts.Token));

        Assert.Equal("an earlier export", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
        var replaced = await DatabaseExporter.ExportAsync(source, path);
        Assert.True(replaced.Verified);
        Assert.Equal(Digests(replaced, target: false), Digests(await DatabaseImporter.ImportAsync(source, path, new DatabaseCopyOptions { DryRun = true, SkipExisting = true }), target: false));
    }

    [Fact]
    public async Task Exporting_a_database_behind_the_library_schema_is_refused_and_writes_no_file()
    {
        var source = postgres.CreateProvider(await postgres.CreateDatabaseAsync(), options => options.AutoMigrate = false);

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseExporter.ExportAsync(source, FilePath(".zip")));

        Assert.Contains("Migrate it", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task An_import_with_a_progress_interval_below_one_or_of_a_missing_file_writes_nothing()
    {
        var (target, _) = await FreshAsync("sqlite");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DatabaseImporter.ImportAsync(target, FilePath(".zip"), new DatabaseCopyOptions { ProgressInterval = 0 }));
        await Assert.ThrowsAsync<FileNotFoundException>(() => DatabaseImporter.ImportAsync(target, FilePath(".tar.gz")));
        Assert.Equal(0, await target.CountUsersAsync(new UserQuery()));
    }

    private static Func<byte[], byte[]> EditSecondLine(Action<JsonObject> edit) => data =>
    {
        var lines = Encoding.UTF8.GetString(data).Split('\n');
        var row = JsonNode.Parse(lines[1])!.AsObject();
        edit(row);
        lines[1] = row.ToJsonString();
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    };

    private static Func<byte[], byte[]> EditManifest(Action<JsonNode> edit) => data =>
    {
        var manifest = JsonNode.Parse(data)!;
        edit(manifest);
        return Encoding.UTF8.GetBytes(manifest.ToJsonString());
    };
}
