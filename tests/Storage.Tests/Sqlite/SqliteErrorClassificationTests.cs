using GatewayStorage.Relational;
using GatewayStorage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Tests.Sqlite;

/// <summary>SQLite's result codes: busy and locked are transient, a full disk is not.</summary>
public sealed class SqliteErrorClassificationTests
{
    [Theory]
    [InlineData(5)] // SQLITE_BUSY
    [InlineData(6)] // SQLITE_LOCKED
    public void A_busy_or_locked_database_is_a_transient_StorageUnavailableException(int code)
    {
        var error = Translate(new SqliteException("database is locked", code, code));

        Assert.IsType<StorageUnavailableException>(error);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void A_full_disk_is_not_transient_and_says_so_in_words()
    {
        var error = Translate(new SqliteException("database or disk is full", 13, 13));

        Assert.False(error.IsTransient);
        Assert.Contains("disk holding the database is full", error.Message, StringComparison.Ordinal);
        Assert.Contains("SQLITE_13", error.Message, StringComparison.Ordinal);
    }

    private static StorageException Translate(SqliteException exception)
    {
        var classified = SqliteDialect.Instance.Classify(exception);
        return StorageErrors.Translate(SqliteDialect.Instance, classified, exception);
    }
}
