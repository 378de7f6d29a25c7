using System.Text.Json;
using GatewayStorage.Relational;
using GatewayStorage.Security;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Benchmarks.Floor;

/// <summary>
/// The PostgreSQL floor: Npgsql by hand on one held connection (the connection string has Max Auto Prepare and
/// No Reset On Close, as the library's), every statement an <see cref="NpgsqlCommand"/> with typed parameters,
/// explicitly prepared once and re-executed with new values. Same SQL, same checks as the library.
/// </summary>
internal sealed class RawPostgresHotPaths : IRawHotPaths
{
    // The library's own column lists and filter: the floor runs the same SQL text.
    private const string UserColumns = UserSql.Columns;
    private const string KeyColumns = ApiKeySql.Columns;
    private const string ListFilter = UserSql.Filter;

    private readonly NpgsqlConnection _connection;
    private readonly ApiKeyHasher _hasher;
    private readonly string _prefix;
    private readonly TimeSpan _lastUsedInterval;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly List<NpgsqlCommand> _commands = [];
    private NpgsqlCommand _verify = null!;
    private NpgsqlCommand _touch = null!;
    private NpgsqlCommand _userById = null!;
    private NpgsqlCommand _userByEmail = null!;
    private NpgsqlCommand _config = null!;
    private NpgsqlCommand _increment = null!;
    private NpgsqlCommand _permissions = null!;
    private NpgsqlCommand _createUser = null!;
    private NpgsqlCommand _listFirst = null!;
    private NpgsqlCommand _listAfter = null!;

    private RawPostgresHotPaths(NpgsqlConnection connection, GatewayStorageOptions options)
    {
        _connection = connection;
        using (var ring = EncryptionKeyRing.FromOptions(options))
        {
            _hasher = ApiKeyHasher.FromOptions(options, ring);
        }

        _prefix = options.ApiKeyPrefix;
        _lastUsedInterval = options.ApiKeyLastUsedInterval;
    }

    /// <summary>Opens the held connection and prepares every statement on it.</summary>
    public static async Task<RawPostgresHotPaths> OpenAsync(string connectionString, GatewayStorageOptions options)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var floor = new RawPostgresHotPaths(connection, options);
        await floor.PrepareAllAsync();
        return floor;
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
        ((NpgsqlParameter<Guid>)_userById.Parameters[0]).TypedValue = id;
        return await QueryUserAsync(_userById);
    }

    public async Task<User?> GetUserByEmailAsync(string email)
    {
        ((NpgsqlParameter<string>)_userByEmail.Parameters[0]).TypedValue = FloorRules.Email(email).Normalized;
        return await QueryUserAsync(_userByEmail);
    }

    public async Task<ConfigEntry?> GetConfigAsync(string key)
    {
        FloorRules.ConfigKey(key);
        ((NpgsqlParameter<string>)_config.Parameters[0]).TypedValue = key;
        await using var reader = await _config.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        using var document = JsonDocument.Parse(reader.GetString(1));
        return new ConfigEntry(reader.GetString(0), document.RootElement.Clone(), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3));
    }

    public async Task<long> IncrementUsageAsync(Guid apiKeyId, TimeSpan window)
    {
        var (seconds, start) = FloorRules.Window(StorageTime.Now(_time), window);
        var p = _increment.Parameters;
        ((NpgsqlParameter<Guid>)p[0]).TypedValue = apiKeyId;
        ((NpgsqlParameter<int>)p[1]).TypedValue = seconds;
        ((NpgsqlParameter<DateTimeOffset>)p[2]).TypedValue = start;
        await using var reader = await _increment.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    public async Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId)
    {
        ((NpgsqlParameter<Guid>)_permissions.Parameters[0]).TypedValue = userId;
        var set = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await _permissions.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }

    public async Task<User> CreateUserAsync(string email, string? displayName)
    {
        var (valid, normalized) = FloorRules.Email(email);
        var name = FloorRules.DisplayName(displayName);
        var now = StorageTime.Now(_time);
        var p = _createUser.Parameters;
        ((NpgsqlParameter<Guid>)p[0]).TypedValue = Guid.CreateVersion7(now);
        ((NpgsqlParameter<string>)p[1]).TypedValue = valid;
        ((NpgsqlParameter<string>)p[2]).TypedValue = normalized;
        p[3].Value = (object?)name ?? DBNull.Value;
        ((NpgsqlParameter<bool>)p[4]).TypedValue = true;
        ((NpgsqlParameter<DateTimeOffset>)p[5]).TypedValue = now;
        return (await QueryUserAsync(_createUser))!;
    }

    public async Task<List<User>> ListUsersAsync(Guid? after, int limit)
    {
        var command = after is null ? _listFirst : _listAfter;
        var p = command.Parameters;
        var i = 0;
        if (after is { } afterId)
        {
            ((NpgsqlParameter<Guid>)p[i++]).TypedValue = afterId;
        }

        p[i++].Value = DBNull.Value;
        p[i++].Value = DBNull.Value;
        ((NpgsqlParameter<int>)p[i]).TypedValue = limit;
        var users = new List<User>(limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(ReadUser(reader));
        }

        return users;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            await command.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private async Task PrepareAllAsync()
    {
        _verify = await PrepareAsync(
            "SELECT " + KeyColumns + ", secret_hash FROM api_keys WHERE public_id = @public_id",
            new NpgsqlParameter<string>("public_id", NpgsqlDbType.Text));
        _touch = await PrepareAsync(
            "UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @threshold)",
            new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz),
            new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid),
            new NpgsqlParameter<DateTimeOffset>("threshold", NpgsqlDbType.TimestampTz));
        _userById = await PrepareAsync(
            "SELECT " + UserColumns + " FROM users WHERE id = @id",
            new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid));
        _userByEmail = await PrepareAsync(
            "SELECT " + UserColumns + " FROM users WHERE normalized_email = @normalized_email",
            new NpgsqlParameter<string>("normalized_email", NpgsqlDbType.Text));
        _config = await PrepareAsync(
            "SELECT key, value, version, updated_at FROM config_entries WHERE key = @key",
            new NpgsqlParameter<string>("key", NpgsqlDbType.Text));
        _increment = await PrepareAsync(
            "INSERT INTO api_key_usage (api_key_id, window_seconds, window_start, count) VALUES (@api_key_id, @window_seconds, @window_start, 1) " +
            "ON CONFLICT (api_key_id, window_seconds, window_start) DO UPDATE SET count = api_key_usage.count + 1 RETURNING count",
            new NpgsqlParameter<Guid>("api_key_id", NpgsqlDbType.Uuid),
            new NpgsqlParameter<int>("window_seconds", NpgsqlDbType.Integer),
            new NpgsqlParameter<DateTimeOffset>("window_start", NpgsqlDbType.TimestampTz));
        _permissions = await PrepareAsync(
            "SELECT DISTINCT p.permission FROM user_roles ur JOIN role_permissions p ON p.role_id = ur.role_id WHERE ur.user_id = @user_id",
            new NpgsqlParameter<Guid>("user_id", NpgsqlDbType.Uuid));
        _createUser = await PrepareAsync(
            "INSERT INTO users (id, email, normalized_email, display_name, is_active, created_at, updated_at, version) " +
            "VALUES (@id, @email, @normalized_email, @display_name, @is_active, @now, @now, 1) RETURNING " + UserColumns,
            new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid),
            new NpgsqlParameter<string>("email", NpgsqlDbType.Text),
            new NpgsqlParameter<string>("normalized_email", NpgsqlDbType.Text),
            new NpgsqlParameter("display_name", NpgsqlDbType.Text) { Value = DBNull.Value },
            new NpgsqlParameter<bool>("is_active", NpgsqlDbType.Boolean),
            new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz));
        _listFirst = await PrepareAsync(
            "SELECT " + UserColumns + " FROM users WHERE " + ListFilter + " ORDER BY id LIMIT @limit",
            new NpgsqlParameter("pattern", NpgsqlDbType.Text) { Value = DBNull.Value },
            new NpgsqlParameter("is_active", NpgsqlDbType.Boolean) { Value = DBNull.Value },
            new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer));
        _listAfter = await PrepareAsync(
            "SELECT " + UserColumns + " FROM users WHERE id > @after AND " + ListFilter + " ORDER BY id LIMIT @limit",
            new NpgsqlParameter<Guid>("after", NpgsqlDbType.Uuid),
            new NpgsqlParameter("pattern", NpgsqlDbType.Text) { Value = DBNull.Value },
            new NpgsqlParameter("is_active", NpgsqlDbType.Boolean) { Value = DBNull.Value },
            new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer));
    }

    private async Task<NpgsqlCommand> PrepareAsync(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.AddRange(parameters);
        await command.PrepareAsync();
        _commands.Add(command);
        return command;
    }

    private async Task<ApiKey?> VerifyWellFormedAsync(string presentedKey, string publicId)
    {
        ((NpgsqlParameter<string>)_verify.Parameters[0]).TypedValue = publicId;
        ApiKey key;
        byte[] hash;
        await using (var reader = await _verify.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                return null;
            }

            key = new ApiKey(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), FloorRules.Scopes(reader.GetString(4)),
                reader.GetFieldValue<DateTimeOffset>(5), NullableTime(reader, 6), NullableTime(reader, 7), NullableTime(reader, 8));
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
        ((NpgsqlParameter<DateTimeOffset>)p[0]).TypedValue = now;
        ((NpgsqlParameter<Guid>)p[1]).TypedValue = key.Id;
        ((NpgsqlParameter<DateTimeOffset>)p[2]).TypedValue = threshold;
        return await _touch.ExecuteNonQueryAsync() > 0 ? key with { LastUsedAt = now } : key;
    }

    private static async Task<User?> QueryUserAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadUser(reader) : null;
    }

    private static User ReadUser(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3),
        r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5), NullableTime(r, 6), r.GetInt64(7));

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
