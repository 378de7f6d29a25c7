using GatewayStorage.Relational;
using GatewayStorage.Security;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Benchmarks.Floor;

/// <summary>
/// The SQLite floor: Microsoft.Data.Sqlite by hand on one held connection (set up once, like the library's pooled
/// connections: busy timeout, synchronous=NORMAL, foreign keys), every statement a <see cref="SqliteCommand"/>
/// created and prepared once and re-executed with new parameter values. Same SQL, same checks as the library.
/// </summary>
internal sealed class RawSqliteHotPaths : IRawHotPaths
{
    // The library's own column lists and filter: the floor runs the same SQL text.
    private const string UserColumns = UserSql.Columns;
    private const string KeyColumns = ApiKeySql.Columns;
    private const string ListFilter = UserSql.Filter;

    private readonly SqliteConnection _connection;
    private readonly ApiKeyHasher _hasher;
    private readonly string _prefix;
    private readonly TimeSpan _lastUsedInterval;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly SqliteCommand _verify;
    private readonly SqliteCommand _touch;
    private readonly SqliteCommand _userById;
    private readonly SqliteCommand _userByEmail;
    private readonly SqliteCommand _config;
    private readonly SqliteCommand _increment;
    private readonly SqliteCommand _permissions;
    private readonly SqliteCommand _createUser;
    private readonly SqliteCommand _listFirst;
    private readonly SqliteCommand _listAfter;

    private RawSqliteHotPaths(SqliteConnection connection, GatewayStorageOptions options)
    {
        _connection = connection;
        using (var ring = EncryptionKeyRing.FromOptions(options))
        {
            _hasher = ApiKeyHasher.FromOptions(options, ring);
        }

        _prefix = options.ApiKeyPrefix;
        _lastUsedInterval = options.ApiKeyLastUsedInterval;
        _verify = Prepare("SELECT " + KeyColumns + ", secret_hash FROM api_keys WHERE public_id = @public_id", "@public_id");
        _touch = Prepare(
            "UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @threshold)",
            "@now", "@id", "@threshold");
        _userById = Prepare("SELECT " + UserColumns + " FROM users WHERE id = @id", "@id");
        _userByEmail = Prepare("SELECT " + UserColumns + " FROM users WHERE normalized_email = @normalized_email", "@normalized_email");
        _config = Prepare("SELECT key, value, version, updated_at FROM config_entries WHERE key = @key", "@key");
        _increment = Prepare(
            "INSERT INTO api_key_usage (api_key_id, window_seconds, window_start, count) VALUES (@api_key_id, @window_seconds, @window_start, 1) " +
            "ON CONFLICT (api_key_id, window_seconds, window_start) DO UPDATE SET count = api_key_usage.count + 1 RETURNING count",
            "@api_key_id", "@window_seconds", "@window_start");
        _permissions = Prepare(
            "SELECT DISTINCT p.permission FROM user_roles ur JOIN role_permissions p ON p.role_id = ur.role_id WHERE ur.user_id = @user_id",
            "@user_id");
        _createUser = Prepare(
            "INSERT INTO users (id, email, normalized_email, display_name, is_active, created_at, updated_at, version) " +
            "VALUES (@id, @email, @normalized_email, @display_name, @is_active, @now, @now, 1) RETURNING " + UserColumns,
            "@id", "@email", "@normalized_email", "@display_name", "@is_active", "@now");
        _listFirst = Prepare(
            "SELECT " + UserColumns + " FROM users WHERE " + ListFilter + " ORDER BY id LIMIT @limit",
            "@pattern", "@is_active", "@limit");
        _listAfter = Prepare(
            "SELECT " + UserColumns + " FROM users WHERE id > @after AND " + ListFilter + " ORDER BY id LIMIT @limit",
            "@after", "@pattern", "@is_active", "@limit");
    }

    /// <summary>Opens the held connection, sets it up once and prepares every statement.</summary>
    public static async Task<RawSqliteHotPaths> OpenAsync(string connectionString, GatewayStorageOptions options)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText =
                $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; " +
                "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
            await setup.ExecuteNonQueryAsync();
        }

        return new RawSqliteHotPaths(connection, options);
    }

    public Task<ApiKey?> VerifyApiKeyAsync(string presentedKey)
    {
        // Parsed before any I/O, as the library does: a malformed key costs no round trip.
        if (presentedKey is null || !ApiKeyFormat.TryParse(presentedKey, _prefix, out var publicId, out _))
        {
            return Task.FromResult<ApiKey?>(null);
        }

        return VerifyWellFormedAsync(presentedKey, publicId);
    }

    public async Task<User?> GetUserByIdAsync(Guid id)
    {
        _userById.Parameters[0].Value = id.ToString("D");
        return await QueryUserAsync(_userById);
    }

    public async Task<User?> GetUserByEmailAsync(string email)
    {
        _userByEmail.Parameters[0].Value = FloorRules.Email(email).Normalized;
        return await QueryUserAsync(_userByEmail);
    }

    public async Task<ConfigEntry?> GetConfigAsync(string key)
    {
        FloorRules.ConfigKey(key);
        _config.Parameters[0].Value = key;
        var reader = await _config.ExecuteReaderAsync();
        await using (reader)
        {
            if (!await reader.ReadAsync())
            {
                return null;
            }

            using var document = System.Text.Json.JsonDocument.Parse(reader.GetString(1));
            return new ConfigEntry(reader.GetString(0), document.RootElement.Clone(), reader.GetInt64(2), Time(reader.GetInt64(3)));
        }
    }

    public async Task<long> IncrementUsageAsync(Guid apiKeyId, TimeSpan window)
    {
        var (seconds, start) = FloorRules.Window(StorageTime.Now(_time), window);
        var p = _increment.Parameters;
        p[0].Value = apiKeyId.ToString("D");
        p[1].Value = (long)seconds;
        p[2].Value = Micros(start);
        var reader = await _increment.ExecuteReaderAsync();
        await using (reader)
        {
            await reader.ReadAsync();
            var count = reader.GetInt64(0);
            await DrainAsync(reader);
            return count;
        }
    }

    public async Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId)
    {
        _permissions.Parameters[0].Value = userId.ToString("D");
        var set = new HashSet<string>(StringComparer.Ordinal);
        var reader = await _permissions.ExecuteReaderAsync();
        await using (reader)
        {
            while (await reader.ReadAsync())
            {
                set.Add(reader.GetString(0));
            }
        }

        return set;
    }

    public async Task<User> CreateUserAsync(string email, string? displayName)
    {
        var (valid, normalized) = FloorRules.Email(email);
        var name = FloorRules.DisplayName(displayName);
        var now = StorageTime.Now(_time);
        var p = _createUser.Parameters;
        p[0].Value = Guid.CreateVersion7(now).ToString("D");
        p[1].Value = valid;
        p[2].Value = normalized;
        p[3].Value = (object?)name ?? DBNull.Value;
        p[4].Value = 1L;
        p[5].Value = Micros(now);
        var reader = await _createUser.ExecuteReaderAsync();
        await using (reader)
        {
            await reader.ReadAsync();
            var user = ReadUser(reader);
            await DrainAsync(reader);
            return user;
        }
    }

    public async Task<List<User>> ListUsersAsync(Guid? after, int limit)
    {
        var command = after is null ? _listFirst : _listAfter;
        var p = command.Parameters;
        var i = 0;
        if (after is { } afterId)
        {
            p[i++].Value = afterId.ToString("D");
        }

        p[i++].Value = DBNull.Value;
        p[i++].Value = DBNull.Value;
        p[i].Value = (long)limit;
        var users = new List<User>(limit);
        var reader = await command.ExecuteReaderAsync();
        await using (reader)
        {
            while (await reader.ReadAsync())
            {
                users.Add(ReadUser(reader));
            }
        }

        return users;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _verify, _touch, _userById, _userByEmail, _config, _increment, _permissions, _createUser, _listFirst, _listAfter })
        {
            await command.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private async Task<ApiKey?> VerifyWellFormedAsync(string presentedKey, string publicId)
    {
        _verify.Parameters[0].Value = publicId;
        ApiKey key;
        byte[] hash;
        var reader = await _verify.ExecuteReaderAsync();
        await using (reader)
        {
            if (!await reader.ReadAsync())
            {
                return null;
            }

            key = new ApiKey(
                Id(reader.GetString(0)), Id(reader.GetString(1)), reader.GetString(2), reader.GetString(3), FloorRules.Scopes(reader.GetString(4)),
                Time(reader.GetInt64(5)), NullableTime(reader, 6), NullableTime(reader, 7), NullableTime(reader, 8));
            hash = reader.GetFieldValue<byte[]>(9);
        }

        var now = StorageTime.Now(_time);
        if (!FloorRules.Accepts(key, hash, presentedKey, _hasher, now, _lastUsedInterval, out var due))
        {
            return null;
        }

        if (due is not { } threshold)
        {
            return key;
        }

        var p = _touch.Parameters;
        p[0].Value = Micros(now);
        p[1].Value = key.Id.ToString("D");
        p[2].Value = Micros(threshold);
        return await _touch.ExecuteNonQueryAsync() > 0 ? key with { LastUsedAt = now } : key;
    }

    /// <summary>
    /// Steps a write's statement to its end. SQLite runs the WAL auto-checkpoint only when a commit completes inside
    /// sqlite3_step; an INSERT … RETURNING whose reader is disposed after its row commits in sqlite3_reset instead, which
    /// skips the checkpoint, so the WAL grows without bound (measured: 300 MB in one benchmark) and every read slows down.
    /// The library steps to the end too; so must the floor, or it measures cheaper writes than a correct program makes.
    /// </summary>
    private static async Task DrainAsync(SqliteDataReader reader)
    {
        while (await reader.ReadAsync())
        {
        }
    }

    private static async Task<User?> QueryUserAsync(SqliteCommand command)
    {
        var reader = await command.ExecuteReaderAsync();
        await using (reader)
        {
            return await reader.ReadAsync() ? ReadUser(reader) : null;
        }
    }

    private static User ReadUser(SqliteDataReader r) => new(
        Id(r.GetString(0)), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetInt64(3) != 0,
        Time(r.GetInt64(4)), Time(r.GetInt64(5)), NullableTime(r, 6), r.GetInt64(7));

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        command.Prepare();
        return command;
    }

    private static Guid Id(string text) => Guid.ParseExact(text, "D");

    private static DateTimeOffset Time(long micros) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    private static long Micros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
