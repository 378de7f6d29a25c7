using Microsoft.Data.Sqlite;
using Npgsql;

namespace GatewayStorage.Tests.Conformance.Lifecycle;

public sealed class SqliteLifecycleTests(SqliteFixture fixture) : LifecycleConformance<SqliteFixture>(fixture);

public sealed class PostgresLifecycleTests(PostgresFixture fixture) : LifecycleConformance<PostgresFixture>(fixture);

public sealed class PgBouncerLifecycleTests(PgBouncerFixture fixture) : LifecycleConformance<PgBouncerFixture>(fixture);

/// <summary>SQLite databases that cannot be opened: the caller sees a <see cref="StorageException"/>, never a SqliteException.</summary>
public sealed class SqliteOpenErrorTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task A_file_that_is_not_a_database_throws_a_StorageException_wrapping_the_SqliteException()
    {
        var url = await fixture.CreateDatabaseAsync();
        await File.WriteAllBytesAsync(url["sqlite:".Length..], [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);
        await using var db = fixture.CreateProvider(url);

        var operation = await Assert.ThrowsAnyAsync<StorageException>(() => db.GetUserAsync(Guid.NewGuid()));
        var migrate = await Assert.ThrowsAnyAsync<StorageException>(() => db.MigrateAsync());
        var health = await db.CheckHealthAsync();

        foreach (var error in new[] { operation, migrate })
        {
            var inner = Assert.IsType<SqliteException>(error.InnerException);
            Assert.Equal(26, inner.SqliteErrorCode); // SQLITE_NOTADB

            // Not a database stays not a database: retrying cannot help.
            Assert.False(error.IsTransient);
            Assert.Contains("sqlite", error.Message, StringComparison.Ordinal);
        }

        Assert.False(health.IsHealthy);
        Assert.False(string.IsNullOrWhiteSpace(health.Error));
        Assert.Null(health.EngineVersion);
        Assert.Equal("sqlite", health.Backend);
    }

    [Fact]
    public async Task A_database_path_inside_a_folder_that_cannot_be_created_throws_a_StorageConfigurationException()
    {
        // The "folder" is a regular file, so no one (root included) can create the database's folder.
        var file = (await fixture.CreateDatabaseAsync())["sqlite:".Length..];
        await File.WriteAllTextAsync(file, "not a folder");
        var url = $"sqlite:{Path.Combine(file, "sub", "gateway.db")}";

        var error = Assert.Throws<StorageConfigurationException>(() => fixture.CreateProvider(url));

        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Contains(Path.Combine(file, "sub"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_path_that_is_a_folder_throws_a_StorageUnavailableException_wrapping_the_SqliteException()
    {
        var folder = (await fixture.CreateDatabaseAsync())["sqlite:".Length..];
        Directory.CreateDirectory(folder);
        await using var db = fixture.CreateProvider($"sqlite:{folder}");

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.CountUsersAsync(UserQuery.All));

        var inner = Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(14, inner.SqliteErrorCode); // SQLITE_CANTOPEN
        Assert.False((await db.CheckHealthAsync()).IsHealthy);
    }
}

/// <summary>PostgreSQL servers that cannot be reached: typed, transient where it may pass, and never showing the password.</summary>
public sealed class PostgresConnectionErrorTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private const string Password = "hunter2";

    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    private const string ClosedPortUrl = $"postgresql://postgres:{Password}@127.0.0.1:1/nothing";

    [Fact]
    public async Task An_operation_on_a_closed_port_throws_a_transient_StorageUnavailableException_without_the_password()
    {
        await using var db = fixture.CreateProvider(ClosedPortUrl);

        var operation = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.GetUserAsync(Guid.NewGuid()));
        var migrate = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.MigrateAsync());
        var version = await Assert.ThrowsAsync<StorageUnavailableException>(() => db.GetSchemaVersionAsync());

        foreach (var error in new[] { operation, migrate, version })
        {
            Assert.True(error.IsTransient);
            Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
            Assert.Contains("postgres", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
            for (Exception? e = error; e is not null; e = e.InnerException)
            {
                Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task CheckHealthAsync_on_a_closed_port_is_unhealthy_says_why_in_words_and_names_no_password()
    {
        await using var db = fixture.CreateProvider(ClosedPortUrl);

        var health = await db.CheckHealthAsync();

        Assert.False(health.IsHealthy);
        Assert.Equal("postgres", health.Backend);
        Assert.Null(health.EngineVersion);
        Assert.Null(health.SchemaVersion);
        Assert.Contains("refused the connection", health.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, health.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, health.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_throws_a_StorageException_wrapping_the_PostgresException()
    {
        var query = fixture.Url.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? fixture.Url[q..] : "";
        var server = fixture.Url[..^query.Length];
        var url = server[..(server.LastIndexOf('/') + 1)] + "gs_no_such_database" + query;
        await using var db = fixture.CreateProvider(url);

        var error = await Assert.ThrowsAnyAsync<StorageException>(() => db.CountUsersAsync(UserQuery.All));

        var inner = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, inner.SqlState);
        Assert.False((await db.CheckHealthAsync()).IsHealthy);
    }
}
