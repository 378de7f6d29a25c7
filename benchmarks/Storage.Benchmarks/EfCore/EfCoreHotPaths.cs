using System.Text;
using GatewayStorage.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace GatewayStorage.Benchmarks.EfCore;

/// <summary>
/// The hot paths written the way an EF Core 10 user writes them: <c>AsNoTracking()</c> queries compiled once with
/// <c>EF.CompileAsyncQuery</c>, a context rented per call from a <see cref="PooledDbContextFactory{TContext}"/> (what
/// <c>AddPooledDbContextFactory</c> registers), <c>ExecuteUpdateAsync</c> for the conditional last-used write,
/// <c>Database.SqlQuery</c> for the upsert EF cannot express, <c>Add</c> + <c>SaveChangesAsync</c> for inserts.
/// </summary>
/// <remarks>
/// A context per call from the pool, not one held context: a <see cref="DbContext"/> is not thread-safe, and the
/// concurrency benchmark calls one instance from many callers at once; renting from the pool is what an ASP.NET Core
/// application does per request, and costs a reset of the pooled instance instead of building a context. The work
/// matches the library's (src/Storage.Relational/Provider/RelationalDatabaseProvider.*.cs): the same parse, keyed
/// hash, constant-time compare, revoked/expired checks and at-most-once-per-interval last-used write for a verify, the
/// same normalisation for an email lookup, the same JSON parse for a config value. The connection string is used as
/// given, with EF's defaults for everything else, except one SQLite interceptor that sets the library's durability
/// (<see cref="SqliteSynchronousInterceptor"/>: synchronous=NORMAL, so a commit is not an fsync).
/// </remarks>
public sealed class EfCoreHotPaths : IAsyncDisposable
{
    private readonly BenchmarkEngine _engine;
    private readonly string _connectionString;
    private readonly PooledDbContextFactory<GatewayDbContext> _factory;
    private readonly ApiKeyHasher _hasher;
    private readonly EncryptionKeyRing _keys;
    private readonly string _apiKeyPrefix;
    private readonly TimeSpan _lastUsedInterval;
    private readonly TimeProvider _time = TimeProvider.System;

    // Compiled per instance: a compiled query binds to the model it first ran with, and one process runs both engines.
    private readonly Func<GatewayDbContext, string, Task<EfApiKey?>> _apiKeyByPublicId =
        EF.CompileAsyncQuery((GatewayDbContext c, string publicId) =>
            c.ApiKeys.AsNoTracking().FirstOrDefault(k => k.PublicId == publicId));

    private readonly Func<GatewayDbContext, Guid, Task<EfUser?>> _userById =
        EF.CompileAsyncQuery((GatewayDbContext c, Guid id) =>
            c.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

    private readonly Func<GatewayDbContext, string, Task<EfUser?>> _userByNormalizedEmail =
        EF.CompileAsyncQuery((GatewayDbContext c, string normalizedEmail) =>
            c.Users.AsNoTracking().FirstOrDefault(u => u.NormalizedEmail == normalizedEmail));

    private readonly Func<GatewayDbContext, string, Task<EfConfigEntry?>> _configByKey =
        EF.CompileAsyncQuery((GatewayDbContext c, string key) =>
            c.ConfigEntries.AsNoTracking().FirstOrDefault(e => e.Key == key));

    private readonly Func<GatewayDbContext, Guid, IAsyncEnumerable<string>> _effectivePermissions =
        EF.CompileAsyncQuery((GatewayDbContext c, Guid userId) =>
            (from ur in c.UserRoles
             join p in c.RolePermissions on ur.RoleId equals p.RoleId
             where ur.UserId == userId
             select p.Permission).Distinct());

    private readonly Func<GatewayDbContext, int, IAsyncEnumerable<EfUser>> _usersFirst =
        EF.CompileAsyncQuery((GatewayDbContext c, int limit) =>
            c.Users.AsNoTracking().OrderBy(u => u.Id).Take(limit));

    private readonly Func<GatewayDbContext, Guid, int, IAsyncEnumerable<EfUser>> _usersAfter =
        EF.CompileAsyncQuery((GatewayDbContext c, Guid after, int limit) =>
            c.Users.AsNoTracking().Where(u => u.Id > after).OrderBy(u => u.Id).Take(limit));

    private int _disposed;

    private EfCoreHotPaths(BenchmarkEngine engine, string connectionString, GatewayStorageOptions options)
    {
        _engine = engine;
        _connectionString = connectionString;
        _factory = new PooledDbContextFactory<GatewayDbContext>(GatewayDbContext.CreateOptions(engine, connectionString));
        _keys = EncryptionKeyRing.FromOptions(options);
        _hasher = ApiKeyHasher.FromOptions(options, _keys);
        _apiKeyPrefix = options.ApiKeyPrefix;
        _lastUsedInterval = options.ApiKeyLastUsedInterval;
    }

    /// <summary>Creates the EF Core variant for <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite ("Data Source=/path.db") or Npgsql connection string, used as given.</param>
    /// <param name="options">The options the library provider runs with (API key hashing key, prefix, last-used interval).</param>
    public static EfCoreHotPaths Create(BenchmarkEngine engine, string connectionString, GatewayStorageOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        return new EfCoreHotPaths(engine, connectionString, options);
    }

    /// <summary>The key when <paramref name="presentedKey"/> is well formed, known, matches, and is neither revoked nor expired.</summary>
    public async Task<EfApiKey?> VerifyApiKeyAsync(string presentedKey)
    {
        // Parsed before any I/O, as the library does: a malformed key costs no round trip.
        if (presentedKey is null || !ApiKeyFormat.TryParse(presentedKey, _apiKeyPrefix, out var publicId, out _))
        {
            return null;
        }

        await using var context = _factory.CreateDbContext();
        var key = await _apiKeyByPublicId(context, publicId);
        if (key is null
            || !_hasher.Matches(presentedKey.AsSpan(presentedKey.Length - ApiKeyFormat.SecretLength), key.SecretHash))
        {
            return null;
        }

        var now = StorageTime.Now(_time);
        if (key.RevokedAt is not null || (key.ExpiresAt is { } expiresAt && expiresAt <= now))
        {
            return null;
        }

        // A read in the common case: the last-used time is written at most once per interval.
        var threshold = _lastUsedInterval.Ticks <= now.UtcTicks ? StorageTime.Normalize(now - _lastUsedInterval) : DateTimeOffset.MinValue;
        if (key.LastUsedAt is { } lastUsedAt && lastUsedAt > threshold)
        {
            return key;
        }

        // The same condition as the library's UPDATE: of two verifiers racing here, the second writes nothing.
        var id = key.Id;
        var written = await context.ApiKeys
            .Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt <= threshold))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now));
        if (written > 0)
        {
            key.LastUsedAt = now;
        }

        return key;
    }

    /// <summary>The user with <paramref name="id"/>, or null.</summary>
    public async Task<EfUser?> GetUserByIdAsync(Guid id)
    {
        await using var context = _factory.CreateDbContext();
        return await _userById(context, id);
    }

    /// <summary>The user whose email matches <paramref name="email"/> case-insensitively (NFC, upper-case invariant), or null.</summary>
    public async Task<EfUser?> GetUserByEmailAsync(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var normalizedEmail = email.Normalize(NormalizationForm.FormC).ToUpperInvariant();
        await using var context = _factory.CreateDbContext();
        return await _userByNormalizedEmail(context, normalizedEmail);
    }

    /// <summary>The config entry under <paramref name="key"/>, its value parsed to a JsonElement, or null.</summary>
    public async Task<EfConfigEntry?> GetConfigAsync(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var context = _factory.CreateDbContext();
        return await _configByKey(context, key);
    }

    /// <summary>
    /// Counts one use of <paramref name="apiKeyId"/> in the current epoch-aligned window and returns the new count: the
    /// library's single INSERT … ON CONFLICT … DO UPDATE … RETURNING, through <c>Database.SqlQuery</c>. Raw SQL
    /// parameters bypass the model's value converters, so on SQLite the id and time are passed in their stored forms.
    /// </summary>
    public async Task<long> IncrementUsageAsync(Guid apiKeyId, TimeSpan window)
    {
        if (window.Ticks % TimeSpan.TicksPerSecond != 0 || window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A usage window must be whole seconds, from 1 second to 1 day.");
        }

        var seconds = (int)(window.Ticks / TimeSpan.TicksPerSecond);
        var unixSeconds = StorageTime.Now(_time).ToUnixTimeSeconds();
        var windowStart = DateTimeOffset.FromUnixTimeSeconds(unixSeconds - (((unixSeconds % seconds) + seconds) % seconds));

        await using var context = _factory.CreateDbContext();
        var query = _engine == BenchmarkEngine.Sqlite
            ? context.Database.SqlQuery<long>(
                $"""
                INSERT INTO api_key_usage (api_key_id, window_seconds, window_start, count)
                VALUES ({apiKeyId.ToString("D")}, {seconds}, {SqliteMicrosecondsConverter.ToMicroseconds(windowStart)}, 1)
                ON CONFLICT (api_key_id, window_seconds, window_start) DO UPDATE SET count = api_key_usage.count + 1
                RETURNING count AS "Value"
                """)
            : context.Database.SqlQuery<long>(
                $"""
                INSERT INTO api_key_usage (api_key_id, window_seconds, window_start, count)
                VALUES ({apiKeyId}, {seconds}, {windowStart}, 1)
                ON CONFLICT (api_key_id, window_seconds, window_start) DO UPDATE SET count = api_key_usage.count + 1
                RETURNING count AS "Value"
                """);

        // Not composed further (First/Single would wrap the INSERT in a SELECT): run it as written and take the row.
        // Read to the end: on SQLite the statement (and its automatic WAL checkpoint) completes only when stepped out.
        long? result = null;
        await foreach (var count in query.AsAsyncEnumerable())
        {
            result ??= count;
        }

        return result ?? throw new InvalidOperationException("The usage upsert returned no row.");
    }

    /// <summary>The distinct permissions of every role assigned to <paramref name="userId"/>.</summary>
    public async Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId)
    {
        await using var context = _factory.CreateDbContext();
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var permission in _effectivePermissions(context, userId))
        {
            permissions.Add(permission);
        }

        return permissions;
    }

    /// <summary>Inserts a user with a version 7 id, the normalised email, times in UTC whole microseconds and version 1.</summary>
    public async Task<EfUser> CreateUserAsync(string email, string? displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var now = StorageTime.Now(_time);
        var user = new EfUser
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            NormalizedEmail = email.Normalize(NormalizationForm.FormC).ToUpperInvariant(),
            DisplayName = displayName,
            IsActive = true,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };

        await using var context = _factory.CreateDbContext();
        context.Users.Add(user);
        await context.SaveChangesAsync();
        return user;
    }

    /// <summary>One page of users in id order: the first <paramref name="limit"/>, or those after <paramref name="after"/>.</summary>
    public async Task<List<EfUser>> ListUsersAsync(Guid? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var context = _factory.CreateDbContext();
        var rows = after is { } afterId ? _usersAfter(context, afterId, limit) : _usersFirst(context, limit);
        var users = new List<EfUser>(limit);
        await foreach (var user in rows)
        {
            users.Add(user);
        }

        return users;
    }

    /// <summary>Releases the pooled physical connections this variant opened, and the key material.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        // The pool keeps idle contexts (each closed); the ADO.NET pools keep the physical connections: clear this one.
        if (_engine == BenchmarkEngine.Sqlite)
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new NpgsqlConnection(_connectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        _keys.Dispose();
        return ValueTask.CompletedTask;
    }
}
