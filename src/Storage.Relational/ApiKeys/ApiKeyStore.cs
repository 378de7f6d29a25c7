using System.Runtime.CompilerServices;
using GatewayStorage.Security;

namespace GatewayStorage.Relational;

internal sealed class ApiKeyStore(StoreContext context) : IApiKeyStore
{
    private const string Table = "api_keys";
    private const string UsageTable = "api_key_usage";

    private const int SecondsPerDay = 86_400;

    /// <inheritdoc />
    public Task<CreatedApiKey> CreateApiKeyAsync(NewApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = Check.Name(key.Name, nameof(NewApiKey.Name), 100);
        var scopes = ScopeSet.Validate(key.Scopes, nameof(NewApiKey.Scopes));
        var now = context.Now();
        var expiresAt = StorageTime.Normalize(key.ExpiresAt);
        if (expiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException($"The expiry ({expires:O}) must be later than now ({now:O}).", nameof(NewApiKey.ExpiresAt));
        }

        var generated = ApiKeyFormat.Generate(context.Secrets.ApiKeyPrefix);
        var stored = new ApiKey(context.NewId(now), key.UserId, name, generated.PublicId, scopes, now, expiresAt, null, null);
        return context.WithReferencesAsync(
            InsertApiKeyAsync(stored, generated, cancellationToken), cancellationToken,
            (nameof(User), "users", key.UserId));
    }

    private async Task<CreatedApiKey> InsertApiKeyAsync(ApiKey key, GeneratedApiKey generated, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        // Only the keyed hash of the secret is stored; the full key leaves this method once, in the result.
        var hash = context.Secrets.ApiKeyHasher.Hash(generated.Secret);
        var session = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            await PerUserLimit.LockUserAsync(session, key.UserId, cancellationToken).ConfigureAwait(false);
            await session.Sql(ApiKeySql.Insert)
                .Guid("id", key.Id)
                .Guid("user_id", key.UserId)
                .Text("name", key.Name)
                .Text("public_id", key.PublicId)
                .Bytes("secret_hash", hash)
                .Text("scopes", ScopeSet.Join(key.Scopes))
                .Time("now", key.CreatedAt)
                .Time("expires_at", key.ExpiresAt)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await PerUserLimit.EnsureWithinAsync(session, key.UserId, ApiKeySql.CountForUser, IApiKeyStore.MaxApiKeysPerUser, nameof(ApiKey), cancellationToken)
                .ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CreatedApiKey(key, generated.FullKey);
    }

    /// <inheritdoc />
    public ValueTask<ApiKey?> VerifyApiKeyAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Parsed before any I/O: a malformed key (null, wrong prefix or length, a character outside the alphabet)
        // is turned away without a database round trip, so garbage cannot be used to load the database.
        if (presentedKey is null || !ApiKeyFormat.TryParse(presentedKey, context.Secrets.ApiKeyPrefix, out var publicId, out _))
        {
            StorageTelemetry.ApiKeyVerified(context.Telemetry.SystemName, "malformed");
            return default;
        }

        return VerifyWellFormedApiKeyAsync(presentedKey, publicId, cancellationToken);
    }

    private async ValueTask<ApiKey?> VerifyWellFormedApiKeyAsync(string presentedKey, string publicId, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        ApiKey? key;
        byte[]? hash;
        var session = await context.ReadAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            (key, hash) = await session.Sql(ApiKeySql.GetByPublicId).Text("public_id", publicId)
                .QuerySingleOrDefaultAsync(ApiKeySql.ReadWithHash, cancellationToken).ConfigureAwait(false);
        }

        // The secret is the key's fixed-length tail (TryParse checked the shape); the span cannot cross the await above.
        // A wrong secret counts as unknown: the counter must not tell an attacker (or a dashboard) which public ids exist.
        if (key is null || hash is null
            || !context.Secrets.ApiKeyHasher.Matches(presentedKey.AsSpan(presentedKey.Length - ApiKeyFormat.SecretLength), hash))
        {
            StorageTelemetry.ApiKeyVerified(context.Telemetry.SystemName, "unknown");
            return null;
        }

        var now = context.Now();
        if (key.RevokedAt is not null)
        {
            StorageTelemetry.ApiKeyVerified(context.Telemetry.SystemName, "revoked");
            return null;
        }

        if (key.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            StorageTelemetry.ApiKeyVerified(context.Telemetry.SystemName, "expired");
            return null;
        }

        StorageTelemetry.ApiKeyVerified(context.Telemetry.SystemName, "valid");

        // The common case ends here: a key used within the interval is a read and nothing else.
        var threshold = LastUsedThreshold(now, context.Secrets.ApiKeyLastUsedInterval);
        if (key.LastUsedAt is { } lastUsedAt && lastUsedAt > threshold)
        {
            return key;
        }

        // A write session of its own, opened after the read one is back: an in-memory SQLite database has one connection.
        var writer = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            var written = await writer.Sql(ApiKeySql.TouchLastUsed)
                .Guid("id", key.Id)
                .Time("now", now)
                .Time("threshold", threshold)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;

            // Not written: another verifier recorded the use a moment ago, which is just as good.
            return written ? key with { LastUsedAt = now } : key;
        }
    }

    /// <inheritdoc />
    public async Task<ApiKey?> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ApiKeySql.GetById).Guid("id", id)
                .QuerySingleOrDefaultAsync(ApiKeySql.Read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ApiKeySql.ListForUser).Guid("user_id", userId)
                .QueryAsync(ApiKeySql.Read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // revoked_at IS NULL: revoking twice reports false and keeps the first revocation time.
            return await session.Sql(ApiKeySql.Revoke).Guid("id", id).Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteApiKeyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ApiKeySql.Delete).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public Task<long> IncrementApiKeyUsageAsync(Guid apiKeyId, TimeSpan windowLength, CancellationToken cancellationToken = default)
    {
        var seconds = ValidateWindowLength(windowLength);
        var now = context.Now();

        // Windows are aligned to the Unix epoch in UTC: every caller (and every process) maps a time to the same window.
        var unixSeconds = now.ToUnixTimeSeconds();
        var windowStart = DateTimeOffset.FromUnixTimeSeconds(unixSeconds - Mod(unixSeconds, seconds));
        return context.WithReferencesAsync(
            IncrementApiKeyUsageCoreAsync(apiKeyId, seconds, windowStart, cancellationToken), cancellationToken,
            (nameof(ApiKey), "api_keys", apiKeyId));
    }

    private async Task<long> IncrementApiKeyUsageCoreAsync(Guid apiKeyId, int seconds, DateTimeOffset windowStart, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var session = await context.WriteAsync(UsageTable, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ApiKeySql.IncrementUsage)
                .Guid("api_key_id", apiKeyId)
                .Int32("window_seconds", seconds)
                .Time("window_start", windowStart)
                .ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<long> PruneApiKeyUsageAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        BatchedDelete.RunAsync(context, UsageTable, ApiKeySql.PruneUsageBatch, before, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyUsage>> GetApiKeyUsageAsync(Guid apiKeyId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (from >= to)
        {
            throw new ArgumentException($"The start ({from:O}) must be earlier than the end ({to:O}).", nameof(from));
        }

        var session = await context.ReadLagTolerantAsync(UsageTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var rows = await session.Sql(ApiKeySql.GetUsage)
                .Guid("api_key_id", apiKeyId)
                .Time("from", StorageTime.Normalize(from))
                .Time("to", StorageTime.Normalize(to))
                .QueryAsync(static (in Row r) => (Start: r.Time(0), Seconds: r.Int32(1), Count: r.Int64(2)), cancellationToken)
                .ConfigureAwait(false);
            var usage = new ApiKeyUsage[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                usage[i] = new ApiKeyUsage(apiKeyId, rows[i].Start, TimeSpan.FromSeconds(rows[i].Seconds), rows[i].Count);
            }

            return usage;
        }
    }

    /// <summary>The window length in whole seconds: 1 second to 1 day, dividing a day evenly.</summary>
    private static int ValidateWindowLength(TimeSpan windowLength)
    {
        if (windowLength.Ticks % TimeSpan.TicksPerSecond != 0
            || windowLength < TimeSpan.FromSeconds(1)
            || windowLength > TimeSpan.FromDays(1)
            || SecondsPerDay % (int)windowLength.TotalSeconds != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(windowLength), windowLength, "A usage window must be whole seconds, from 1 second to 1 day, and divide a day evenly (e.g. 1 s, 1 min, 1 h).");
        }

        return (int)(windowLength.Ticks / TimeSpan.TicksPerSecond);
    }

    private static long Mod(long value, long divisor) => ((value % divisor) + divisor) % divisor;

    /// <summary>The last-used time at or before which a verify writes again; an interval longer than all time means "once".</summary>
    private static DateTimeOffset LastUsedThreshold(DateTimeOffset now, TimeSpan interval) =>
        interval.Ticks <= now.UtcTicks
            ? StorageTime.Normalize(now - interval)
            : DateTimeOffset.MinValue;

    /// <summary>Streams every key without its hash, in id order (see <see cref="IDataStreams.StreamApiKeysAsync"/>).</summary>
    public IAsyncEnumerable<ApiKey> StreamApiKeysAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, ApiKeySql.StreamFirst, ApiKeySql.StreamAfter, ApiKeySql.Read,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);

    /// <summary>Streams every usage window (see <see cref="IDataStreams.StreamApiKeyUsageAsync"/>).</summary>
    public IAsyncEnumerable<ApiKeyUsage> StreamApiKeyUsageAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, UsageTable, ApiKeySql.StreamUsageFirst, ApiKeySql.StreamUsageAfter,
            static (in Row r) => new ApiKeyUsage(r.Guid(0), r.Time(2), TimeSpan.FromSeconds(r.Int64(1)), r.Int64(3)),
            static (statement, last) => statement
                .Guid("after_key", last.ApiKeyId)
                .Int64("after_seconds", (long)last.WindowLength.TotalSeconds)
                .Time("after_start", last.WindowStart),
            cancellationToken);
}
