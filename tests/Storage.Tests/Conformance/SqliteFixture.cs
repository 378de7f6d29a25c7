using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Tests.Conformance;

/// <summary>SQLite under test: a database file per test class (and per fresh database), in a temporary folder.</summary>
public sealed class SqliteFixture : StorageFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gs-sqlite-").FullName;
    private int _count;

    public override string Backend => "sqlite";

    public override Task<string> CreateDatabaseAsync() =>
        Task.FromResult($"sqlite:{Path.Combine(_folder, $"db{Interlocked.Increment(ref _count)}.db")}");

    public override async Task<DbConnection> OpenRawConnectionAsync(string url)
    {
        var connection = new SqliteConnection($"Data Source={url["sqlite:".Length..]};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    protected override IDatabaseBackend CreateBackend() => new SqliteBackend();

    protected override Task CleanUpAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere: the temp folder is cleaned by the OS later.
        }

        return Task.CompletedTask;
    }
}
