using System.Runtime.CompilerServices;
using GatewayStorage.Security;

namespace GatewayStorage.Relational;

internal sealed class SessionStore(StoreContext context) : ISessionStore
{
    private const string Table = "sessions";
    private const string TokensTable = "single_use_tokens";

    private const int MaxTokenPurposeLength = 100;
    private const int MaxSessionIpAddressLength = 64;
    private const int MaxSessionUserAgentLength = 1000;

    private static readonly TimeSpan MinSessionLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxSessionLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan MinTokenLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(30);

    /// <inheritdoc />
    public async Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ValidateSessionLifetime(session.Lifetime, MinSessionLifetime, MaxSessionLifetime, nameof(NewLoginSession.Lifetime));
        var ipAddress = Check.OptionalLine(session.IpAddress, nameof(NewLoginSession.IpAddress), MaxSessionIpAddressLength);
        var userAgent = Check.OptionalLine(session.UserAgent, nameof(NewLoginSession.UserAgent), MaxSessionUserAgentLength);

        // The token leaves this method once, in the result; only its hash is written.
        var token = OpaqueToken.Generate();
        var stored = await context.WithReferencesAsync(
            InsertSessionAsync(session.UserId, session.Lifetime, OpaqueToken.Hash(token), ipAddress, userAgent, cancellationToken), cancellationToken,
            (nameof(User), "users", session.UserId)).ConfigureAwait(false);
        return new CreatedLoginSession(stored, token);
    }

    private async Task<LoginSession> InsertSessionAsync(
        Guid userId, TimeSpan lifetime, byte[] tokenHash, string? ipAddress, string? userAgent, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var now = context.Now();
        var session = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return (await session.Sql(SessionSql.Insert)
                .Guid("id", context.NewId(now))
                .Guid("user_id", userId)
                .Bytes("token_hash", tokenHash)
                .Time("now", now)
                .Time("expires_at", StorageTime.Normalize(now + lifetime))
                .Text("ip_address", ipAddress)
                .Text("user_agent", userAgent)
                .QuerySingleOrDefaultAsync(SessionSql.ReadLoginSession, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Whatever a client sends is answered with null unless it could be a token: malformed input never reaches the database.
        if (!OpaqueToken.IsWellFormed(token))
        {
            return null;
        }

        var tokenHash = OpaqueToken.Hash(token);
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(SessionSql.GetByTokenHash)
                .Bytes("token_hash", tokenHash)
                .Time("now", context.Now())
                .QuerySingleOrDefaultAsync(SessionSql.ReadLoginSession, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default)
    {
        var now = context.Now();
        var newExpiry = StorageTime.Normalize(extendTo);
        if (newExpiry is { } expiry)
        {
            if (expiry <= now)
            {
                throw new ArgumentException("The new expiry must be later than the current time.", nameof(extendTo));
            }

            // The same bound as a new session's lifetime: touching must not make a session outlive it.
            if (expiry > now + MaxSessionLifetime)
            {
                throw new ArgumentOutOfRangeException(nameof(extendTo), extendTo, "The new expiry may be at most one year from now.");
            }
        }

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(SessionSql.Touch)
                .Guid("id", sessionId)
                .Time("now", now)
                .Time("extend_to", newExpiry)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(SessionSql.Revoke).Guid("id", sessionId).Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(SessionSql.RevokeForUser).Guid("user_id", userId).Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var sessions = await BatchedDelete.RunAsync(context, Table, SessionSql.PruneBatch, before, cancellationToken).ConfigureAwait(false);
        var tokens = await BatchedDelete.RunAsync(context, Table, SessionSql.PruneTokenBatch, before, cancellationToken).ConfigureAwait(false);
        return sessions + tokens;
    }

    /// <inheritdoc />
    public async Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        Check.Name(purpose, nameof(purpose), MaxTokenPurposeLength);
        ValidateSessionLifetime(lifetime, MinTokenLifetime, MaxTokenLifetime, nameof(lifetime));

        var value = OpaqueToken.Generate();
        var insert = InsertSingleUseTokenAsync(purpose, userId, lifetime, OpaqueToken.Hash(value), cancellationToken);
        var stored = userId is { } id
            ? await context.WithReferencesAsync(insert, cancellationToken, (nameof(User), "users", id)).ConfigureAwait(false)
            : await insert.ConfigureAwait(false);
        return new IssuedSingleUseToken(stored, value);
    }

    private async Task<SingleUseToken> InsertSingleUseTokenAsync(
        string purpose, Guid? userId, TimeSpan lifetime, byte[] tokenHash, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var now = context.Now();
        var session = await context.WriteAsync(TokensTable, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return (await session.Sql(SessionSql.InsertToken)
                .Guid("id", context.NewId(now))
                .Text("purpose", purpose)
                .Guid("user_id", userId)
                .Bytes("token_hash", tokenHash)
                .Time("now", now)
                .Time("expires_at", StorageTime.Normalize(now + lifetime))
                .QuerySingleOrDefaultAsync(SessionSql.ReadSingleUseToken, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The purpose comes from the application (a bad one is a bug); the value comes from a client (a bad one is just not a token).
        Check.Name(purpose, nameof(purpose), MaxTokenPurposeLength);
        if (!OpaqueToken.IsWellFormed(value))
        {
            StorageTelemetry.SingleUseTokenConsumed(context.Telemetry.SystemName, "malformed");
            return null;
        }

        var tokenHash = OpaqueToken.Hash(value);
        var session = await context.WriteAsync(TokensTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var consumed = await session.Sql(SessionSql.ConsumeToken)
                .Bytes("token_hash", tokenHash)
                .Text("purpose", purpose)
                .Time("now", context.Now())
                .QuerySingleOrDefaultAsync(SessionSql.ReadSingleUseToken, cancellationToken).ConfigureAwait(false);
            // Unknown, already used and expired are one outcome: the database answers them in one statement.
            StorageTelemetry.SingleUseTokenConsumed(context.Telemetry.SystemName, consumed is null ? "rejected" : "consumed");
            return consumed;
        }
    }

    private static void ValidateSessionLifetime(TimeSpan lifetime, TimeSpan min, TimeSpan max, string paramName)
    {
        if (lifetime < min || lifetime > max)
        {
            throw new ArgumentOutOfRangeException(paramName, lifetime, $"The lifetime must be from {min} to {max}.");
        }
    }

    /// <inheritdoc />
    public async Task<Page<LoginSession>> ListUserSessionsAsync(Guid userId, bool activeOnly, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);

        // The cursor is bound to the user and the filter: a cursor of one list is refused by another.
        var list = (activeOnly ? "user-sessions-active:" : "user-sessions:") + userId.ToString();
        var before = KeysetCursor.DecodeGuid(list, page.Cursor);
        var sql = (activeOnly, before is null) switch
        {
            (true, true) => SessionSql.ListLiveForUserFirst,
            (true, false) => SessionSql.ListLiveForUserAfter,
            (false, true) => SessionSql.ListForUserFirst,
            (false, false) => SessionSql.ListForUserAfter,
        };
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(sql).Guid("user_id", userId).Int32("limit", page.Limit + 1);
            if (activeOnly)
            {
                statement.Time("now", context.Now());
            }

            if (before is { } beforeId)
            {
                statement.Guid("before", beforeId);
            }

            var rows = await statement.QueryAsync(SessionSql.ReadLoginSession, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, list, static s => s.Id.ToString());
        }
    }

    /// <summary>Streams every session in id order (see <see cref="IDataStreams.StreamSessionsAsync"/>).</summary>
    public IAsyncEnumerable<LoginSession> StreamSessionsAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, SessionSql.StreamSessionsFirst, SessionSql.StreamSessionsAfter, SessionSql.ReadLoginSession,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);

    /// <summary>Streams every single-use token in id order (see <see cref="IDataStreams.StreamSingleUseTokensAsync"/>).</summary>
    public IAsyncEnumerable<SingleUseToken> StreamSingleUseTokensAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, TokensTable, SessionSql.StreamTokensFirst, SessionSql.StreamTokensAfter, SessionSql.ReadSingleUseToken,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
