namespace GatewayStorage.Relational;

/// <summary>The statements of the session store; standard SQL that runs unchanged on both engines.</summary>
internal static class SessionSql
{
    public const string Columns = "id, user_id, created_at, last_seen_at, expires_at, revoked_at, ip_address, user_agent";

    public const string TokenColumns = "id, purpose, user_id, created_at, expires_at, consumed_at";

    /// <summary>A session that is neither revoked nor expired at <c>@now</c>.</summary>
    private const string Live = "revoked_at IS NULL AND expires_at > @now";

    public const string Insert =
        "INSERT INTO sessions (id, user_id, token_hash, created_at, last_seen_at, expires_at, ip_address, user_agent) " +
        "VALUES (@id, @user_id, @token_hash, @now, @now, @expires_at, @ip_address, @user_agent) RETURNING " + Columns;

    // One lookup through ux_sessions_token_hash; the expiry and revocation are checked in the same statement.
    public const string GetByTokenHash = "SELECT " + Columns + " FROM sessions WHERE token_hash = @token_hash AND " + Live;

    public const string Touch =
        "UPDATE sessions SET last_seen_at = @now, expires_at = COALESCE(@extend_to, expires_at) WHERE id = @id AND " + Live;

    public const string Revoke = "UPDATE sessions SET revoked_at = @now WHERE id = @id AND " + Live;

    public const string RevokeForUser = "UPDATE sessions SET revoked_at = @now WHERE user_id = @user_id AND " + Live;

    // Bounded batches through ix_sessions_expires_at: no statement holds a table-wide lock on a large table.
    public const string PruneBatch =
        "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < @before LIMIT @limit)";

    public const string InsertToken =
        "INSERT INTO single_use_tokens (id, purpose, user_id, token_hash, created_at, expires_at) " +
        "VALUES (@id, @purpose, @user_id, @token_hash, @now, @expires_at) RETURNING " + TokenColumns;

    // One atomic statement: of all callers presenting the same token only the first update matches
    // consumed_at IS NULL (PostgreSQL re-checks the condition after the row lock; SQLite serialises writers).
    public const string ConsumeToken =
        "UPDATE single_use_tokens SET consumed_at = @now " +
        "WHERE token_hash = @token_hash AND purpose = @purpose AND consumed_at IS NULL AND expires_at > @now RETURNING " + TokenColumns;

    public const string PruneTokenBatch =
        "DELETE FROM single_use_tokens WHERE id IN (SELECT id FROM single_use_tokens WHERE expires_at < @before LIMIT @limit)";

    // Newest first: ids are version 7 GUIDs, so descending id is descending creation on both engines.
    private const string OfUser = "SELECT " + Columns + " FROM sessions WHERE user_id = @user_id";

    public const string ListForUserFirst = OfUser + " ORDER BY id DESC LIMIT @limit";

    public const string ListForUserAfter = OfUser + " AND id < @before ORDER BY id DESC LIMIT @limit";

    public const string ListLiveForUserFirst = OfUser + " AND " + Live + " ORDER BY id DESC LIMIT @limit";

    public const string ListLiveForUserAfter = OfUser + " AND " + Live + " AND id < @before ORDER BY id DESC LIMIT @limit";

    public const string StreamSessionsFirst = "SELECT " + Columns + " FROM sessions ORDER BY id LIMIT @limit";

    public const string StreamSessionsAfter = "SELECT " + Columns + " FROM sessions WHERE id > @after ORDER BY id LIMIT @limit";

    public const string StreamTokensFirst = "SELECT " + TokenColumns + " FROM single_use_tokens ORDER BY id LIMIT @limit";

    public const string StreamTokensAfter = "SELECT " + TokenColumns + " FROM single_use_tokens WHERE id > @after ORDER BY id LIMIT @limit";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static LoginSession ReadLoginSession(in Row r) => new(
        r.Guid(0), r.Guid(1), r.Time(2), r.Time(3), r.Time(4), r.NullableTime(5), r.NullableText(6), r.NullableText(7));

    /// <summary>Reads a row of <see cref="TokenColumns"/>, in that order.</summary>
    public static SingleUseToken ReadSingleUseToken(in Row r) => new(
        r.Guid(0), r.Text(1), r.NullableGuid(2), r.Time(3), r.Time(4), r.NullableTime(5));
}
