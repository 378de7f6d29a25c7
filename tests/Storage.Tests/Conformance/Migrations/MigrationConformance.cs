using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace GatewayStorage.Tests.Conformance.Migrations;

public abstract class MigrationConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    /// <summary>The scripts embedded in the backend, with the SHA-256 of each computed here.</summary>
    private IReadOnlyList<EmbeddedScript> Scripts { get; } = ReadEmbeddedScripts(fixture.Backend);

    private int Latest => Scripts[^1].Version;

    /// <summary>The backend's default for <see cref="GatewayStorageOptions.AutoMigrate"/> (DESIGN.md: on for SQLite only).</summary>
    private bool AutoMigratesByDefault => fixture.Backend switch
    {
        "sqlite" => true,
        "postgres" => false,
        _ => throw new InvalidOperationException($"Unknown backend '{fixture.Backend}'."),
    };

    /// <summary>The current time as the engine stores it in schema_migrations.applied_at.</summary>
    private string NowSql => fixture.Backend == "sqlite" ? "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)" : "now()";

    [Fact]
    public async Task GetSchemaVersionAsync_is_0_before_and_the_latest_version_after_MigrateAsync()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);

        Assert.Equal(0, await db.GetSchemaVersionAsync());
        await db.MigrateAsync();

        Assert.Equal(Latest, await db.GetSchemaVersionAsync());
        Assert.True(Latest >= 1);
    }

    [Fact]
    public async Task MigrateAsync_returns_the_applied_scripts_the_first_time_and_nothing_the_second_time()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);

        var first = await db.MigrateAsync();
        var second = await db.MigrateAsync();

        Assert.Equal(Scripts.Select(s => (s.Version, s.Name, s.Checksum)), first.Select(m => (m.Version, m.Name, m.Checksum)));
        Assert.All(first, m => Assert.Equal(TimeSpan.Zero, m.AppliedAt.Offset));
        Assert.Empty(second);
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var rows = (await raw.QueryAsync<(long Version, string Name, string Checksum)>(
            "SELECT CAST(version AS BIGINT), name, checksum FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Scripts.Select(s => ((long)s.Version, s.Name, s.Checksum)), rows);
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
    }

    [Fact]
    public async Task Eight_concurrent_MigrateAsync_calls_from_separate_providers_apply_each_script_exactly_once()
    {
        var url = await fixture.CreateDatabaseAsync();
        var providers = Enumerable.Range(0, 8).Select(_ => fixture.CreateProvider(url)).ToList();
        try
        {
            var results = await Task.WhenAll(providers.Select(p => Task.Run(() => p.MigrateAsync())));

            // Between them the callers report every script once; whoever lost the race reports nothing.
            Assert.Equal(Scripts.Select(s => s.Version), results.SelectMany(r => r).Select(m => m.Version).Order());
            await using var raw = await fixture.OpenRawConnectionAsync(url);
            var versions = (await raw.QueryAsync<long>("SELECT CAST(version AS BIGINT) FROM schema_migrations ORDER BY version")).ToList();
            Assert.Equal(Scripts.Select(s => (long)s.Version), versions);
            foreach (var provider in providers)
            {
                Assert.Equal(Latest, await provider.GetSchemaVersionAsync());
                Assert.Equal(0, await provider.CountUsersAsync(UserQuery.All));
            }
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MigrateAsync_refuses_a_database_migrated_by_a_newer_library()
    {
        var url = await MigratedDatabaseAsync();
        await ExecuteRawAsync(url, $"INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'from_the_future', '{new string('f', 64)}', {NowSql})");
        await using var db = fixture.CreateProvider(url);

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.MigrateAsync());

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Equal(Scripts.Count + 1L, await CountAppliedAsync(url));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_operation_on_a_database_migrated_by_a_newer_library_throws_SchemaVersionException(bool autoMigrate)
    {
        var url = await MigratedDatabaseAsync();
        await ExecuteRawAsync(url, $"INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'from_the_future', '{new string('f', 64)}', {NowSql})");
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = autoMigrate);

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.GetUserAsync(Guid.NewGuid()));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_refuses_an_applied_script_whose_checksum_changed_and_names_its_version()
    {
        var url = await MigratedDatabaseAsync();
        await ExecuteRawAsync(url, $"UPDATE schema_migrations SET checksum = '{new string('0', 64)}' WHERE version = 1");
        await using var db = fixture.CreateProvider(url);

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.MigrateAsync());

        Assert.Contains($"Migration 1 ('{Scripts[0].Name}')", error.Message, StringComparison.Ordinal);
        Assert.Contains(new string('0', 64), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SchemaVersionException>(() => db.GetPendingMigrationSqlAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_operation_on_a_database_with_a_changed_script_checksum_throws_SchemaVersionException(bool autoMigrate)
    {
        var url = await MigratedDatabaseAsync();
        await ExecuteRawAsync(url, $"UPDATE schema_migrations SET checksum = '{new string('0', 64)}' WHERE version = 1");
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = autoMigrate);

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.CountUsersAsync(UserQuery.All));

        Assert.Contains("Migration 1 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPendingMigrationSqlAsync_returns_every_script_before_migrating_and_nothing_after()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);

        var pending = await db.GetPendingMigrationSqlAsync();

        Assert.Contains("CREATE TABLE users", pending, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO schema_migrations", pending, StringComparison.Ordinal);
        Assert.All(Scripts, s => Assert.Contains(s.Checksum, pending, StringComparison.Ordinal));
        Assert.Equal(0, await db.GetSchemaVersionAsync());

        await db.MigrateAsync();

        Assert.Equal("", await db.GetPendingMigrationSqlAsync());
    }

    [Fact]
    public async Task Pending_sql_applied_by_hand_gives_a_database_the_provider_uses_without_migrating()
    {
        var url = await fixture.CreateDatabaseAsync();
        string pending;
        await using (var printer = fixture.CreateProvider(url))
        {
            pending = await printer.GetPendingMigrationSqlAsync();
        }

        // As a DBA would: the whole text in one go (it holds a BEGIN … COMMIT per script).
        await ExecuteRawAsync(url, pending);
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = false);

        Assert.Equal(Latest, await db.GetSchemaVersionAsync());
        var user = await db.CreateUserAsync(new NewUser(Support.Unique.Email()));
        Assert.Equal(user, await db.GetUserAsync(user.Id));
        Assert.Empty(await db.MigrateAsync());
        Assert.Equal("", await db.GetPendingMigrationSqlAsync());
        Assert.Equal((long)Scripts.Count, await CountAppliedAsync(url));
    }

    [Fact]
    public async Task The_default_provider_migrates_on_first_use_only_where_auto_migrate_defaults_to_on()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);

        if (AutoMigratesByDefault)
        {
            Assert.Equal(0, await db.CountUsersAsync(UserQuery.All));
            Assert.Equal(Latest, await db.GetSchemaVersionAsync());
        }
        else
        {
            var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.CountUsersAsync(UserQuery.All));
            Assert.Contains("MigrateAsync", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, await db.GetSchemaVersionAsync());
        }
    }

    [Fact]
    public async Task With_AutoMigrate_off_a_first_operation_on_an_unmigrated_database_throws_telling_to_call_MigrateAsync()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = false);

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => db.GetUserByEmailAsync(Support.Unique.Email()));

        Assert.Contains("MigrateAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("version 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task After_a_refused_first_operation_MigrateAsync_makes_the_provider_usable()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = false);
        await Assert.ThrowsAsync<SchemaVersionException>(() => db.CountUsersAsync(UserQuery.All));

        await db.MigrateAsync();

        Assert.Equal(0, await db.CountUsersAsync(UserQuery.All));
    }

    [Fact]
    public async Task With_AutoMigrate_on_a_first_operation_migrates_the_database()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, o => o.AutoMigrate = true);

        var user = await db.CreateUserAsync(new NewUser(Support.Unique.Email()));

        Assert.Equal(user, await db.GetUserAsync(user.Id));
        Assert.Equal(Latest, await db.GetSchemaVersionAsync());
        Assert.Equal((long)Scripts.Count, await CountAppliedAsync(url));
    }

    [Fact]
    public async Task A_failing_script_is_rolled_back_whole_and_leaves_the_version_where_it_was()
    {
        // Make the last script that creates tables fail at its last CREATE TABLE: that table already exists.
        var failing = Scripts.Last(s => s.CreatedTables.Count > 0);
        var (first, blocker) = (failing.CreatedTables[0], failing.CreatedTables[^1]);
        var url = await fixture.CreateDatabaseAsync();
        await ExecuteRawAsync(url, $"CREATE TABLE {blocker} (placeholder INTEGER NULL)");
        await using var db = fixture.CreateProvider(url);

        var error = await Assert.ThrowsAnyAsync<StorageException>(() => db.MigrateAsync());

        Assert.IsAssignableFrom<DbException>(error.InnerException);
        Assert.Equal(failing.Version - 1, await db.GetSchemaVersionAsync());
        Assert.Equal(failing.Version - 1L, await CountAppliedAsync(url));
        if (first != blocker)
        {
            Assert.False(await TableExistsAsync(url, first), $"{first}, created earlier in the failed script, was not rolled back.");
        }

        await ExecuteRawAsync(url, $"DROP TABLE {blocker}");
        Assert.NotEmpty(await db.MigrateAsync());
        Assert.Equal(Latest, await db.GetSchemaVersionAsync());
    }

    private async Task<string> MigratedDatabaseAsync()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        return url;
    }

    private async Task ExecuteRawAsync(string url, string sql)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAppliedAsync(string url)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        return await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
    }

    private async Task<bool> TableExistsAsync(string url, string table)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var sql = fixture.Backend == "sqlite"
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @table"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";
        return await raw.ExecuteScalarAsync<long>(sql, new { table }) > 0;
    }

    private static List<EmbeddedScript> ReadEmbeddedScripts(string backend)
    {
        var (assembly, prefix) = backend switch
        {
            "sqlite" => (typeof(SqliteBackend).Assembly, "GatewayStorage.Sqlite.Migrations."),
            "postgres" => (typeof(PostgresBackend).Assembly, "GatewayStorage.Postgres.Migrations."),
            _ => throw new InvalidOperationException($"Unknown backend '{backend}'."),
        };
        var scripts = new List<EmbeddedScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = resource[prefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
            var text = reader.ReadToEnd().ReplaceLineEndings("\n");
            scripts.Add(new EmbeddedScript(
                int.Parse(file[..underscore], System.Globalization.CultureInfo.InvariantCulture),
                file[(underscore + 1)..],
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
                [.. Regex.Matches(text, @"^\s*CREATE TABLE (\w+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Select(m => m.Groups[1].Value)]));
        }

        Assert.NotEmpty(scripts);
        return scripts;
    }

    /// <summary>A script embedded in the backend: its version, name, SHA-256 (computed here) and the tables it creates.</summary>
    private sealed record EmbeddedScript(int Version, string Name, string Checksum, IReadOnlyList<string> CreatedTables);
}
