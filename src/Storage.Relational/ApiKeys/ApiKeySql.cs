namespace GatewayStorage.Relational;

/// <summary>The statements of the API key store; standard SQL that runs unchanged on both engines.</summary>
internal static class ApiKeySql
{
    public const string Columns = "id, user_id, name, public_id, scopes, created_at, expires_at, last_used_at, revoked_at";

    public const string Insert =
        "INSERT INTO api_keys (id, user_id, name, public_id, secret_hash, scopes, created_at, expires_at) " +
        "VALUES (@id, @user_id, @name, @public_id, @secret_hash, @scopes, @now, @expires_at)";

    /// <summary>The verify lookup: one row through the unique index on <c>public_id</c>, the hash last (column 9).</summary>
    public const string GetByPublicId = "SELECT " + Columns + ", secret_hash FROM api_keys WHERE public_id = @public_id";

    // The condition repeats the check the caller made: of two verifiers racing past it, the second writes nothing.
    public const string TouchLastUsed =
        "UPDATE api_keys SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @threshold)";

    public const string GetById = "SELECT " + Columns + " FROM api_keys WHERE id = @id";

    // Ids are version 7 GUIDs: descending id is newest first on both engines (text and uuid order agree).
    public const string ListForUser = "SELECT " + Columns + " FROM api_keys WHERE user_id = @user_id ORDER BY id DESC";

    public const string CountForUser = "SELECT COUNT(*) FROM api_keys WHERE user_id = @user_id";

    public const string Revoke = "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL";

    // Usage windows go with the key through ON DELETE CASCADE, in the same statement.
    public const string Delete = "DELETE FROM api_keys WHERE id = @id";

    // One statement, atomic on both engines: concurrent callers of the same window each get a distinct count.
    public const string IncrementUsage =
        "INSERT INTO api_key_usage (api_key_id, window_seconds, window_start, count) " +
        "VALUES (@api_key_id, @window_seconds, @window_start, 1) " +
        "ON CONFLICT (api_key_id, window_seconds, window_start) DO UPDATE SET count = api_key_usage.count + 1 RETURNING count";

    // Bounded batches, as every prune: the key is the primary key's three columns (the table has no id).
    public const string PruneUsageBatch =
        "DELETE FROM api_key_usage WHERE (api_key_id, window_seconds, window_start) IN " +
        "(SELECT api_key_id, window_seconds, window_start FROM api_key_usage WHERE window_start < @before LIMIT @limit)";

    public const string GetUsage =
        "SELECT window_start, window_seconds, count FROM api_key_usage " +
        "WHERE api_key_id = @api_key_id AND window_start >= @from AND window_start < @to ORDER BY window_start, window_seconds";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static ApiKey Read(in Row r) => new(
        r.Guid(0), r.Guid(1), r.Text(2), r.Text(3), ScopeSet.Split(r.Text(4)), r.Time(5), r.NullableTime(6), r.NullableTime(7), r.NullableTime(8));

    /// <summary>Reads a row of <see cref="GetByPublicId"/>: <see cref="Columns"/>, then the hash.</summary>
    public static (ApiKey? Key, byte[]? Hash) ReadWithHash(in Row r) => (Read(in r), r.Bytes(9));

    public const string StreamFirst = "SELECT " + Columns + " FROM api_keys ORDER BY id LIMIT @limit";

    public const string StreamAfter = "SELECT " + Columns + " FROM api_keys WHERE id > @after ORDER BY id LIMIT @limit";

    private const string UsageColumns = "SELECT api_key_id, window_seconds, window_start, count FROM api_key_usage";

    public const string StreamUsageFirst = UsageColumns + " ORDER BY api_key_id, window_seconds, window_start LIMIT @limit";

    public const string StreamUsageAfter =
        UsageColumns + " WHERE api_key_id > @after_key OR (api_key_id = @after_key AND (window_seconds > @after_seconds OR " +
        "(window_seconds = @after_seconds AND window_start > @after_start))) ORDER BY api_key_id, window_seconds, window_start LIMIT @limit";
}
