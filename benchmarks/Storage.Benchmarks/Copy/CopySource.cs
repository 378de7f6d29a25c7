using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Benchmarks.Copy;

/// <summary>
/// The source of the copy benchmark: a SQLite database migrated by the library, then filled by plain prepared inserts
/// with a third of the rows in each of users, API keys (one per user) and audit entries, in the library's storage
/// forms. Rows are generated as they are inserted, so seeding holds no row list in memory.
/// </summary>
internal static class CopySource
{
    public static async Task<string> CreateAsync(string directory, int rows)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"copy-source-{rows}.db"));
        File.Delete(path);
        var url = "sqlite:" + path;
        var provider = new SqliteBackend().Create(url, BenchmarkOptions.Create(url), CopyRun.Services);
        await using (provider)
        {
            await provider.MigrateAsync();
            await provider.CheckHealthAsync();
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL;";
            pragma.ExecuteNonQuery();
        }

        var perTable = rows / 3;
        var random = new Random(rows);
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var transaction = connection.BeginTransaction();
        using var user = SqliteSeeder.Prepare(connection, transaction,
            "INSERT INTO users VALUES (@id, @email, @normalized, @name, 1, @at, @at, NULL, 1)", "@id", "@email", "@normalized", "@name", "@at");
        using var key = SqliteSeeder.Prepare(connection, transaction,
            "INSERT INTO api_keys VALUES (@id, @user_id, 'bench key', @public_id, @hash, 'read write', @at, NULL, @at, NULL)", "@id", "@user_id", "@public_id", "@hash", "@at");
        using var audit = SqliteSeeder.Prepare(connection, transaction,
            "INSERT INTO audit_log VALUES (@id, @at, @actor, 'user.login', 'user', @target, 1, '192.0.2.7', @details)", "@id", "@at", "@actor", "@target", "@details");
        var hash = new byte[32];
        for (var i = 0; i < perTable; i++)
        {
            var at = start.AddMilliseconds(i);
            var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
            var userId = Id(at, random);
            var email = string.Create(CultureInfo.InvariantCulture, $"bench.user{i:D7}@example.com");
            Run(user, userId, email, email.ToUpperInvariant(), string.Create(CultureInfo.InvariantCulture, $"Bench User {i}"), micros);
            random.NextBytes(hash);
            Run(key, Id(at, random), userId, Convert.ToHexStringLower(hash.AsSpan(0, 8)), hash, micros);
            Run(audit, Id(at, random), micros, email, userId, i % 2 == 0 ? string.Create(CultureInfo.InvariantCulture, $$"""{"attempt":{{i}},"method":"password"}""") : DBNull.Value);
        }

        transaction.Commit();
        return url;
    }

    private static string Id(DateTimeOffset at, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return Guid.CreateVersion7(at).ToString("D")[..24] + Convert.ToHexStringLower(bytes[..6]);
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
