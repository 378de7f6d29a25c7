using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.Sqlite;

/// <summary><see cref="SqliteBackup"/>: an online copy of a SQLite database; PostgreSQL is pointed to pg_dump.</summary>
public sealed class SqliteBackupTests(SqliteFixture sqlite, PostgresFixture postgres) : IClassFixture<SqliteFixture>, IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gs-backup-").FullName;

    [Fact]
    public async Task BackupAsync_writes_a_database_that_opens_with_the_same_key_and_holds_the_same_rows()
    {
        var url = await sqlite.CreateDatabaseAsync();
        await using var db = sqlite.CreateProvider(url);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser("backup@example.org"));
        var credential = await db.CreateCredentialAsync(new NewCredential("svc", "backup-secret"));
        var file = Path.Combine(_folder, "backup.db");

        await SqliteBackup.BackupAsync(db, file);

        await using var restored = sqlite.CreateProvider("sqlite:" + file);
        Assert.Equal(user, await restored.GetUserAsync(user.Id));
        Assert.Equal("backup-secret", (await restored.GetCredentialAsync(credential.Id))!.Secret);
        Assert.Equal(await db.CountRowsAsync(), await restored.CountRowsAsync());
    }

    [Fact]
    public async Task BackupAsync_refuses_an_existing_file_and_leaves_it_as_it_was()
    {
        var file = Path.Combine(_folder, "existing.db");
        await File.WriteAllTextAsync(file, "keep me");

        await Assert.ThrowsAsync<ArgumentException>(() => SqliteBackup.BackupAsync(sqlite.Provider, file));

        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task BackupAsync_refuses_a_PostgreSQL_provider_and_names_pg_dump()
    {
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => SqliteBackup.BackupAsync(postgres.Provider, Path.Combine(_folder, "pg.db")));

        Assert.Contains("pg_dump", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "pg.db")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
