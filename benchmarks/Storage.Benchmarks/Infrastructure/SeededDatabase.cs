using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using GatewayStorage.Benchmarks.EfCore;
using GatewayStorage.Benchmarks.Floor;
using GatewayStorage.Postgres;
using GatewayStorage.Security;
using GatewayStorage.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// One migrated, bulk-seeded database of one engine and size, shared by every benchmark of the process (the
/// run is in-process, so each database is seeded once per <c>dotnet run</c>). It hands out the three variants
/// on the same schema, indexes and data: the library, the floor, and EF Core.
/// </summary>
internal sealed class SeededDatabase
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private readonly Lazy<IReadOnlyList<ListStart>> _listStarts;

    private SeededDatabase(BenchmarkEngine engine, SeedPlan plan, string url, string connectionString, GatewayStorageOptions options)
    {
        Engine = engine;
        Plan = plan;
        Url = url;
        ConnectionString = connectionString;
        Options = options;
        _listStarts = new(() => WalkPagesAsync().GetAwaiter().GetResult());
    }

    public BenchmarkEngine Engine { get; }

    public SeedPlan Plan { get; }

    public int Rows => Plan.Rows;

    /// <summary>The library's URL (<c>sqlite:/…</c> or a libpq <c>postgresql://</c> URL).</summary>
    public string Url { get; }

    /// <summary>
    /// The ADO.NET connection string of the floor and EF Core: <c>Data Source=/path.db</c>, or the Npgsql form with
    /// the settings the library uses too (auto-prepare, no reset on close), so no variant wins by configuration alone.
    /// </summary>
    public string ConnectionString { get; }

    public GatewayStorageOptions Options { get; }

    public IReadOnlyList<SampleApiKey> Keys { get; private set; } = [];

    public string EngineVersion { get; private set; } = "";

    public long SeededRows { get; private set; }

    public TimeSpan SeedTime { get; private set; }

    public IDatabaseProvider CreateLibrary() => Engine switch
    {
        BenchmarkEngine.Sqlite => new SqliteBackend().Create(Url, Options, Services),
        _ => new PostgresBackend().Create(Url, Options, Services),
    };

    public async Task<IRawHotPaths> CreateFloorAsync() => Engine switch
    {
        BenchmarkEngine.Sqlite => await RawSqliteHotPaths.OpenAsync(ConnectionString, Options),
        _ => await RawPostgresHotPaths.OpenAsync(ConnectionString, Options),
    };

    /// <summary>
    /// EF Core as users run it: the provider's default connection settings. (On PostgreSQL that means Npgsql's defaults,
    /// which reset each pooled connection on close and prepare nothing automatically; the library and the floor use
    /// No Reset On Close and automatic preparation, per DESIGN.md, Hot paths.)
    /// </summary>
    public EfCoreHotPaths CreateEfCore() => EfCoreHotPaths.Create(
        Engine, Engine == BenchmarkEngine.Postgres ? PostgresConnectionStrings.FromUrl(Url).ConnectionString : ConnectionString, Options);

    /// <summary>
    /// Where list pages start: every page of 50 of the seeded users, as the library's cursor and as the id the
    /// page starts after (what the floor and EF Core take). Walked once with the library's own paging.
    /// </summary>
    public IReadOnlyList<ListStart> ListStarts => _listStarts.Value;

    /// <summary>Deletes the users a write benchmark created: normalised emails starting with <paramref name="normalizedPrefix"/>.</summary>
    public async Task<int> DeleteUsersAsync(string normalizedPrefix)
    {
        // A range on the unique index (the prefix's last character bumped): no scan of the table.
        var end = normalizedPrefix[..^1] + (char)(normalizedPrefix[^1] + 1);
        const string Sql = "DELETE FROM users WHERE normalized_email >= @from AND normalized_email < @to";
        if (Engine == BenchmarkEngine.Sqlite)
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqliteCommand("PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; " + Sql, connection);
            command.Parameters.AddWithValue("@from", normalizedPrefix);
            command.Parameters.AddWithValue("@to", end);
            return await command.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("from", normalizedPrefix);
            command.Parameters.AddWithValue("to", end);
            return await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// SQLite: checkpoints the WAL into the database and truncates it, so every benchmark case starts from the same
    /// state and no case pays for a checkpoint the one before it deferred. PostgreSQL: nothing.
    /// </summary>
    public async Task CheckpointAsync()
    {
        if (Engine != BenchmarkEngine.Sqlite)
        {
            return;
        }

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand("PRAGMA busy_timeout = 30000; PRAGMA wal_checkpoint(TRUNCATE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<ListStart>> WalkPagesAsync()
    {
        var starts = new List<ListStart>(Rows / 50);
        var provider = CreateLibrary();
        await using (provider)
        {
            var page = await provider.ListUsersAsync(UserQuery.All, new PageRequest(50));
            while (page.NextCursor is { } cursor && starts.Count < (Rows / 50) - 1)
            {
                starts.Add(new ListStart(cursor, page.Items[^1].Id));
                page = await provider.ListUsersAsync(UserQuery.All, new PageRequest(50, cursor));
            }
        }

        return starts;
    }

    /// <summary>Creates, migrates (with the library) and bulk-seeds a database.</summary>
    public static async Task<SeededDatabase> CreateAsync(BenchmarkEngine engine, int rows, bool withRoles)
    {
        string url, connectionString;
        if (engine == BenchmarkEngine.Sqlite)
        {
            var path = Path.Combine(SeededDatabases.SqliteFolder, string.Create(CultureInfo.InvariantCulture, $"bench-{rows}.db"));
            url = "sqlite:" + path;
            connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        }
        else
        {
            var server = await PostgresServer.GetAsync();
            url = await server.CreateDatabaseAsync(string.Create(CultureInfo.InvariantCulture, $"bench_{rows}"));
            var builder = PostgresConnectionStrings.FromUrl(url);
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
            builder.NoResetOnClose = true;
            builder.MaxPoolSize = 100;
            connectionString = builder.ConnectionString;
        }

        var options = BenchmarkOptions.Create(url);
        var database = new SeededDatabase(engine, new SeedPlan(rows, withRoles), url, connectionString, options);

        var provider = database.CreateLibrary();
        await using (provider)
        {
            await provider.MigrateAsync();
            var health = await provider.CheckHealthAsync();
            database.EngineVersion = health.EngineVersion ?? "?";
        }

        using var ring = EncryptionKeyRing.FromOptions(options);
        var hasher = ApiKeyHasher.FromOptions(options, ring);
        var seededAt = StorageTime.Now(TimeProvider.System);
        var result = engine == BenchmarkEngine.Sqlite
            ? await Task.Run(() => SqliteSeeder.Seed(
                new SqliteConnectionStringBuilder(connectionString).DataSource, database.Plan, hasher, options.ApiKeyPrefix, seededAt))
            : await Task.Run(() => PostgresSeeder.SeedAsync(connectionString, database.Plan, hasher, options.ApiKeyPrefix, seededAt));

        // The sample in a fixed order: the inputs drawn from it are the same on every run.
        database.Keys = [.. result.Keys.OrderBy(k => k.Id)];
        database.SeededRows = result.Rows;
        database.SeedTime = result.Elapsed;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Seeded {engine} ({rows:N0} users): {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:F1} s ({result.Rows / result.Elapsed.TotalSeconds:N0} rows/s)"));
        return database;
    }
}

/// <summary>Where a list page starts: the library's cursor, and the id the page starts after.</summary>
internal sealed record ListStart(string Cursor, Guid After);

/// <summary>The process's seeded databases, one per engine and size, each created on first use.</summary>
internal static class SeededDatabases
{
    private static readonly ConcurrentDictionary<(BenchmarkEngine Engine, int Rows), Lazy<Task<SeededDatabase>>> Databases = new();
    private static readonly Lazy<string> Folder = new(CreateFolder);

    /// <summary>The folder of this run's SQLite files, deleted when the process exits.</summary>
    public static string SqliteFolder => Folder.Value;

    /// <summary>The databases seeded so far.</summary>
    public static IEnumerable<SeededDatabase> Seeded =>
        Databases.Values.Where(d => d.IsValueCreated && d.Value.IsCompletedSuccessfully).Select(d => d.Value.Result)
            .OrderBy(d => d.Engine).ThenBy(d => d.Rows);

    /// <summary>The database of <paramref name="engine"/> with <paramref name="rows"/> users (and keys).</summary>
    public static Task<SeededDatabase> GetAsync(BenchmarkEngine engine, int rows) =>
        Databases.GetOrAdd(
            (engine, rows),
            key => new Lazy<Task<SeededDatabase>>(
                () => SeededDatabase.CreateAsync(key.Engine, key.Rows, withRoles: key.Rows == BenchmarkSettings.MainRows))).Value;

    /// <summary>The main database (<see cref="BenchmarkSettings.MainRows"/> users) of <paramref name="engine"/>.</summary>
    public static SeededDatabase GetMain(BenchmarkEngine engine) => GetAsync(engine, BenchmarkSettings.MainRows).GetAwaiter().GetResult();

    public static SeededDatabase Get(BenchmarkEngine engine, int rows) => GetAsync(engine, rows).GetAwaiter().GetResult();

    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gs-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return folder;
    }
}
