using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text;
using GatewayStorage.Security;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Sessions;

public abstract class SessionStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string Purpose = "password-reset";

    private static readonly DateTimeOffset T0 = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Whatever a client might send instead of a token: each must be answered with null, never reach the database.
    private static readonly string?[] MalformedTokenValues =
    [
        null,
        "",
        " ",
        new string('A', 10_000),
        "nul\0" + new string('A', 39),
        new string('A', 42) + "\0",
        "'); DROP TABLE sessions;--",
        "'); DROP TABLE sessions;--" + new string('A', 17),
        new string('A', 42),
        new string('A', 44),
        new string('A', 42) + "B",
        new string('A', 21) + " " + new string('A', 21),
        new string('A', 21) + "+" + new string('A', 21),
        new string('A', 21) + "=" + new string('A', 21),
        new string('A', 42) + "\u00e9",
    ];

    private IDatabaseProvider Db => fixture.Provider;

    private async Task<User> NewUserAsync(IDatabaseProvider? db = null) =>
        await (db ?? Db).CreateUserAsync(new NewUser(Unique.Email()));

    private async Task<CreatedLoginSession> StartAsync(IDatabaseProvider db, Guid userId, TimeSpan? lifetime = null, string? ip = null, string? userAgent = null)
    {
        var created = await db.CreateSessionAsync(new NewLoginSession(userId, lifetime ?? TimeSpan.FromHours(1), ip, userAgent));
        fixture.RegisterSecret(created.Token);
        return created;
    }

    private async Task<IssuedSingleUseToken> IssueAsync(IDatabaseProvider db, Guid? userId = null, TimeSpan? lifetime = null, string purpose = Purpose)
    {
        var issued = await db.IssueSingleUseTokenAsync(purpose, userId, lifetime ?? TimeSpan.FromMinutes(15));
        fixture.RegisterSecret(issued.Value);
        return issued;
    }

    /// <summary>A provider over a fresh, migrated database.</summary>
    private async Task<(IDatabaseProvider Db, string Url)> FreshAsync(TimeProvider? time = null, Action<GatewayStorageOptions>? configure = null)
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, configure, time);
        await db.MigrateAsync();
        return (db, url);
    }

    private async Task<long> CountRowsAsync(string url, string table, string where = "1 = 1", Guid? id = null)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await using var command = raw.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        if (id is { } value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "id";

            // SQLite stores ids as lower-case text; PostgreSQL as uuid.
            parameter.Value = fixture.Backend == "sqlite" ? value.ToString("D") : value;
            command.Parameters.Add(parameter);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<object?[]>> ReadAllRowsAsync(DbConnection raw, string table)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    // ---- Sessions ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task CreateSessionAsync_returns_the_stored_session_and_a_token_that_GetSessionAsync_finds()
    {
        var clock = new FixedTimeProvider(T0.AddTicks(1234567));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);

        var created = await StartAsync(db, user.Id, TimeSpan.FromHours(8), "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64)");
        var now = StorageTime.Normalize(clock.Now);

        var session = created.Session;
        Assert.Equal(7, session.Id.Version);
        Assert.Equal(user.Id, session.UserId);
        Assert.Equal(now, session.CreatedAt);
        Assert.Equal(now, session.LastSeenAt);
        Assert.Equal(now + TimeSpan.FromHours(8), session.ExpiresAt);
        Assert.Null(session.RevokedAt);
        Assert.Equal("203.0.113.7", session.IpAddress);
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64)", session.UserAgent);
        Assert.True(OpaqueToken.IsWellFormed(created.Token));
        Assert.Equal(session, await db.GetSessionAsync(created.Token));
    }

    [Fact]
    public async Task CreateSessionAsync_gives_every_session_its_own_token()
    {
        var user = await NewUserAsync();

        var first = await StartAsync(Db, user.Id);
        var second = await StartAsync(Db, user.Id);

        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.Session.Id, second.Session.Id);
        Assert.Equal(first.Session.Id, (await Db.GetSessionAsync(first.Token))?.Id);
        Assert.Equal(second.Session.Id, (await Db.GetSessionAsync(second.Token))?.Id);
    }

    [Fact]
    public async Task CreateSessionAsync_accepts_lifetimes_of_exactly_one_minute_and_one_year()
    {
        var user = await NewUserAsync();

        var shortest = await StartAsync(Db, user.Id, TimeSpan.FromMinutes(1));
        var longest = await StartAsync(Db, user.Id, TimeSpan.FromDays(365));

        Assert.Equal(TimeSpan.FromMinutes(1), shortest.Session.ExpiresAt - shortest.Session.CreatedAt);
        Assert.Equal(TimeSpan.FromDays(365), longest.Session.ExpiresAt - longest.Session.CreatedAt);
    }

    [Fact]
    public async Task CreateSessionAsync_for_an_unknown_user_throws_EntityNotFound_and_writes_nothing()
    {
        var (db, url) = await FreshAsync();
        await using var _ = db;
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => db.CreateSessionAsync(new NewLoginSession(missing, TimeSpan.FromHours(1))));

        Assert.Equal("User", error.Entity);
        Assert.Equal(missing.ToString(), error.Id);
        Assert.Equal(0, await CountRowsAsync(url, "sessions"));
    }

    public static TheoryData<TimeSpan> InvalidSessionLifetimes => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromSeconds(59),
        TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1),
        TimeSpan.FromMinutes(-5),
        TimeSpan.FromDays(365) + TimeSpan.FromTicks(1),
        TimeSpan.MaxValue,
        TimeSpan.MinValue,
    };

    [Theory]
    [MemberData(nameof(InvalidSessionLifetimes))]
    public async Task CreateSessionAsync_rejects_a_lifetime_outside_one_minute_to_one_year(TimeSpan lifetime)
    {
        var user = await NewUserAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.CreateSessionAsync(new NewLoginSession(user.Id, lifetime)));

        Assert.Equal(0, await CountRowsAsync(fixture.Url, "sessions", "user_id = @id", user.Id));
    }

    [Fact]
    public async Task CreateSessionAsync_rejects_bad_client_details_before_writing_anything()
    {
        var user = await NewUserAsync();
        var hour = TimeSpan.FromHours(1);

        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.CreateSessionAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateSessionAsync(new NewLoginSession(user.Id, hour, IpAddress: new string('1', 65))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateSessionAsync(new NewLoginSession(user.Id, hour, IpAddress: "10.0.0.1\0")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateSessionAsync(new NewLoginSession(user.Id, hour, UserAgent: new string('a', 1001))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateSessionAsync(new NewLoginSession(user.Id, hour, UserAgent: "curl\0/8")));

        Assert.Equal(0, await CountRowsAsync(fixture.Url, "sessions", "user_id = @id", user.Id));
    }

    [Fact]
    public async Task CreateSessionAsync_stores_client_details_of_the_maximum_length_exactly()
    {
        var user = await NewUserAsync();
        var ip = new string('f', 64);
        var userAgent = "'); DROP TABLE sessions;-- 名前 🚀 ".PadRight(1000, 'x');

        var created = await StartAsync(Db, user.Id, ip: ip, userAgent: userAgent);

        var read = await Db.GetSessionAsync(created.Token);
        Assert.Equal(ip, read!.IpAddress);
        Assert.Equal(userAgent, read.UserAgent);
    }

    [Fact]
    public async Task GetSessionAsync_returns_null_for_an_unknown_token()
    {
        var token = OpaqueToken.Generate();
        fixture.RegisterSecret(token);

        Assert.Null(await Db.GetSessionAsync(token));
    }

    public static TheoryData<string?> MalformedTokens => new(MalformedTokenValues);

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task GetSessionAsync_returns_null_for_a_malformed_token(string? token)
    {
        Assert.Null(await Db.GetSessionAsync(token!));
    }

    [Fact]
    public async Task Malformed_tokens_are_answered_without_a_round_trip_to_the_database()
    {
        // A disposed provider throws on any database access, so a null answer proves none happened.
        await using var db = fixture.CreateProvider(fixture.Url);
        await db.MigrateAsync();
        await db.DisposeAsync();
        var unknown = OpaqueToken.Generate();
        fixture.RegisterSecret(unknown);

        foreach (var token in MalformedTokenValues)
        {
            Assert.Null(await db.GetSessionAsync(token!));
            Assert.Null(await db.TryConsumeSingleUseTokenAsync(Purpose, token!));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.GetSessionAsync(unknown));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.TryConsumeSingleUseTokenAsync(Purpose, unknown));
    }

    [Fact]
    public async Task GetSessionAsync_returns_the_session_until_the_instant_it_expires()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var created = await StartAsync(db, user.Id, TimeSpan.FromMinutes(30));

        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromMicroseconds(1));
        Assert.NotNull(await db.GetSessionAsync(created.Token));

        clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Null(await db.GetSessionAsync(created.Token));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await db.GetSessionAsync(created.Token));
    }

    [Fact]
    public async Task RevokeSessionAsync_ends_the_session_and_returns_true_only_once()
    {
        var user = await NewUserAsync();
        var created = await StartAsync(Db, user.Id);
        var other = await StartAsync(Db, user.Id);

        Assert.True(await Db.RevokeSessionAsync(created.Session.Id));

        Assert.Null(await Db.GetSessionAsync(created.Token));
        Assert.False(await Db.RevokeSessionAsync(created.Session.Id));
        Assert.False(await Db.RevokeSessionAsync(Guid.NewGuid()));
        Assert.False(await Db.TouchSessionAsync(created.Session.Id));
        Assert.NotNull(await Db.GetSessionAsync(other.Token));
    }

    [Fact]
    public async Task RevokeSessionAsync_returns_false_for_a_session_that_already_expired()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var created = await StartAsync(db, user.Id, TimeSpan.FromMinutes(5));

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(await db.RevokeSessionAsync(created.Session.Id));
    }

    [Fact]
    public async Task RevokeUserSessionsAsync_revokes_the_live_sessions_of_that_user_only_and_counts_them()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var bystander = await NewUserAsync(db);
        var live1 = await StartAsync(db, user.Id, TimeSpan.FromHours(2));
        var live2 = await StartAsync(db, user.Id, TimeSpan.FromHours(2));
        var revoked = await StartAsync(db, user.Id, TimeSpan.FromHours(2));
        var expired = await StartAsync(db, user.Id, TimeSpan.FromMinutes(1));
        var theirs = await StartAsync(db, bystander.Id, TimeSpan.FromHours(2));
        await db.RevokeSessionAsync(revoked.Session.Id);
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(2, await db.RevokeUserSessionsAsync(user.Id));

        Assert.Null(await db.GetSessionAsync(live1.Token));
        Assert.Null(await db.GetSessionAsync(live2.Token));
        Assert.Null(await db.GetSessionAsync(expired.Token));
        Assert.Equal(theirs.Session.Id, (await db.GetSessionAsync(theirs.Token))?.Id);
        Assert.Equal(0, await db.RevokeUserSessionsAsync(user.Id));
        Assert.Equal(0, await db.RevokeUserSessionsAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task TouchSessionAsync_records_the_time_seen_and_keeps_the_expiry_when_not_extending()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var created = await StartAsync(db, user.Id, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromTicks(7)));

        Assert.True(await db.TouchSessionAsync(created.Session.Id));

        var read = await db.GetSessionAsync(created.Token);
        Assert.Equal(StorageTime.Normalize(clock.Now), read!.LastSeenAt);
        Assert.Equal(created.Session.ExpiresAt, read.ExpiresAt);
        Assert.Equal(created.Session.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task TouchSessionAsync_extends_the_expiry_to_the_given_time_in_utc_microseconds()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var created = await StartAsync(db, user.Id, TimeSpan.FromMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(20));
        var extendTo = new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.True(await db.TouchSessionAsync(created.Session.Id, extendTo));

        // Past the original expiry, the session still lives.
        clock.Advance(TimeSpan.FromHours(1));
        var read = await db.GetSessionAsync(created.Token);
        Assert.NotNull(read);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 7, 0, 0, TimeSpan.Zero).AddTicks(1234560), read.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, read.ExpiresAt.Offset);
        Assert.Equal(T0 + TimeSpan.FromMinutes(20), read.LastSeenAt);
    }

    [Fact]
    public async Task TouchSessionAsync_returns_false_for_unknown_revoked_and_expired_sessions()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var revoked = await StartAsync(db, user.Id, TimeSpan.FromHours(1));
        var expiring = await StartAsync(db, user.Id, TimeSpan.FromMinutes(1));
        await db.RevokeSessionAsync(revoked.Session.Id);
        clock.Advance(TimeSpan.FromMinutes(1));
        var later = clock.Now + TimeSpan.FromHours(1);

        Assert.False(await db.TouchSessionAsync(Guid.NewGuid()));
        Assert.False(await db.TouchSessionAsync(revoked.Session.Id, later));
        Assert.False(await db.TouchSessionAsync(expiring.Session.Id, later));

        // Touching an expired session must not revive it.
        Assert.Null(await db.GetSessionAsync(expiring.Token));
    }

    [Fact]
    public async Task TouchSessionAsync_rejects_an_expiry_that_is_not_in_the_future_or_beyond_a_year()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);
        var created = await StartAsync(db, user.Id, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(5));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.TouchSessionAsync(created.Session.Id, clock.Now));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.TouchSessionAsync(created.Session.Id, clock.Now.AddTicks(9)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.TouchSessionAsync(created.Session.Id, T0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.TouchSessionAsync(created.Session.Id, clock.Now.AddDays(365).AddMicroseconds(1)));

        var read = await db.GetSessionAsync(created.Token);
        Assert.Equal(created.Session, read);
        Assert.True(await db.TouchSessionAsync(created.Session.Id, clock.Now.AddDays(365)));
    }

    [Fact]
    public async Task PruneExpiredSessionsAsync_deletes_sessions_that_expired_before_the_cutoff_in_batches()
    {
        var clock = new FixedTimeProvider(T0);
        var (db, url) = await FreshAsync(clock, options => options.PruneBatchSize = 2);
        await using var _ = db;
        var user = await NewUserAsync(db);
        var expired = new List<CreatedLoginSession>();
        for (var i = 0; i < 5; i++)
        {
            expired.Add(await StartAsync(db, user.Id, TimeSpan.FromMinutes(1)));
        }

        var live = await StartAsync(db, user.Id, TimeSpan.FromDays(1));
        var revokedButUnexpired = await StartAsync(db, user.Id, TimeSpan.FromDays(1));
        await db.RevokeSessionAsync(revokedButUnexpired.Session.Id);

        // Expires exactly at the cut-off: not "before" it, so the first prune keeps it.
        await StartAsync(db, user.Id, TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(5, await db.PruneExpiredSessionsAsync(clock.Now));

        Assert.Equal(3, await CountRowsAsync(url, "sessions"));
        Assert.Equal(live.Session.Id, (await db.GetSessionAsync(live.Token))?.Id);
        Assert.Equal(0, await db.PruneExpiredSessionsAsync(clock.Now));
        Assert.Equal(1, await db.PruneExpiredSessionsAsync(clock.Now.AddMicroseconds(1)));
        Assert.Equal(2, await CountRowsAsync(url, "sessions"));
    }

    // ---- What is stored -----------------------------------------------------------------------------------------

    [Fact]
    public async Task The_stored_rows_hold_a_32_byte_hash_and_never_the_token()
    {
        var (db, url) = await FreshAsync();
        await using var _ = db;
        var user = await NewUserAsync(db);
        var session = await StartAsync(db, user.Id, ip: "192.0.2.1", userAgent: "agent");
        var token = await IssueAsync(db, user.Id);

        await using var raw = await fixture.OpenRawConnectionAsync(url);
        foreach (var (table, secret) in new[] { ("sessions", session.Token), ("single_use_tokens", token.Value) })
        {
            var rows = await ReadAllRowsAsync(raw, table);
            var row = Assert.Single(rows);
            var secretBytes = Encoding.UTF8.GetBytes(secret);
            var randomBytes = Base64Url.DecodeFromChars(secret);
            foreach (var value in row)
            {
                var text = value switch
                {
                    null => "",
                    byte[] bytes => Encoding.UTF8.GetString(bytes) + Convert.ToBase64String(bytes) + Convert.ToHexString(bytes),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                };
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                if (value is byte[] blob)
                {
                    Assert.False(blob.AsSpan().IndexOf(secretBytes) >= 0, $"{table} stores the token's characters.");
                    Assert.False(blob.AsSpan().IndexOf(randomBytes) >= 0, $"{table} stores the token's random bytes.");
                }
            }

            var hashes = row.OfType<byte[]>().ToList();
            var hash = Assert.Single(hashes);
            Assert.Equal(32, hash.Length);
            Assert.Equal(OpaqueToken.Hash(secret), hash);
        }
    }

    [Fact]
    public async Task ToString_of_a_created_session_or_issued_token_never_shows_the_token()
    {
        var user = await NewUserAsync();
        var session = await StartAsync(Db, user.Id);
        var token = await IssueAsync(Db, user.Id);

        Assert.DoesNotContain(session.Token, session.ToString(), StringComparison.Ordinal);
        Assert.Contains(session.Session.Id.ToString(), session.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.Contains(token.Token.Id.ToString(), token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteUserAsync_removes_the_users_sessions_and_tokens_but_the_audit_log_keeps_its_entries()
    {
        var user = await NewUserAsync();
        var session = await StartAsync(Db, user.Id);
        var token = await IssueAsync(Db, user.Id);
        var anonymous = await IssueAsync(Db);
        var entry = await Db.AppendAuditAsync(new NewAuditEntry("user.login", Actor: user.Id.ToString(), TargetType: "user", TargetId: user.Id.ToString()));

        Assert.True(await Db.DeleteUserAsync(user.Id));

        Assert.Null(await Db.GetSessionAsync(session.Token));
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync(Purpose, token.Value));
        Assert.Equal(0, await CountRowsAsync(fixture.Url, "sessions", "user_id = @id", user.Id));
        Assert.Equal(0, await CountRowsAsync(fixture.Url, "single_use_tokens", "user_id = @id", user.Id));
        Assert.NotNull(await Db.TryConsumeSingleUseTokenAsync(Purpose, anonymous.Value));
        var kept = await Db.QueryAuditAsync(new AuditQuery(Actor: user.Id.ToString()), PageRequest.First);
        Assert.Equal([entry.Id], kept.Items.Select(e => e.Id));
        Assert.Equal(user.Id.ToString(), kept.Items[0].TargetId);
    }

    // ---- Single-use tokens ------------------------------------------------------------------------------------

    [Fact]
    public async Task IssueSingleUseTokenAsync_returns_the_stored_token_and_TryConsume_returns_it_consumed_once()
    {
        var clock = new FixedTimeProvider(T0.AddTicks(5));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync(db);

        var issued = await IssueAsync(db, user.Id, TimeSpan.FromMinutes(15));
        var now = StorageTime.Normalize(clock.Now);

        Assert.Equal(7, issued.Token.Id.Version);
        Assert.Equal(Purpose, issued.Token.Purpose);
        Assert.Equal(user.Id, issued.Token.UserId);
        Assert.Equal(now, issued.Token.CreatedAt);
        Assert.Equal(now + TimeSpan.FromMinutes(15), issued.Token.ExpiresAt);
        Assert.Null(issued.Token.ConsumedAt);
        Assert.True(OpaqueToken.IsWellFormed(issued.Value));

        clock.Advance(TimeSpan.FromMinutes(3));
        var consumed = await db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value);

        Assert.Equal(issued.Token with { ConsumedAt = T0 + TimeSpan.FromMinutes(3) }, consumed);
        Assert.Null(await db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value));
    }

    [Fact]
    public async Task IssueSingleUseTokenAsync_without_a_user_issues_a_token_that_acts_for_no_one()
    {
        var issued = await IssueAsync(Db, userId: null, purpose: "oauth-state");

        Assert.Null(issued.Token.UserId);
        var consumed = await Db.TryConsumeSingleUseTokenAsync("oauth-state", issued.Value);
        Assert.NotNull(consumed);
        Assert.Null(consumed.UserId);
    }

    [Fact]
    public async Task TryConsumeSingleUseTokenAsync_lets_exactly_one_of_16_concurrent_callers_win()
    {
        var user = await NewUserAsync();
        var issued = await IssueAsync(Db, user.Id);
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(callers);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(issued.Token.Id, winner!.Id);
        Assert.NotNull(winner.ConsumedAt);
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value));
    }

    [Fact]
    public async Task TryConsumeSingleUseTokenAsync_with_another_purpose_returns_null_and_leaves_the_token_usable()
    {
        var issued = await IssueAsync(Db, purpose: "email-verify");

        Assert.Null(await Db.TryConsumeSingleUseTokenAsync("password-reset", issued.Value));
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync("EMAIL-VERIFY", issued.Value));

        Assert.Equal(issued.Token.Id, (await Db.TryConsumeSingleUseTokenAsync("email-verify", issued.Value))?.Id);
    }

    [Fact]
    public async Task TryConsumeSingleUseTokenAsync_returns_null_for_unknown_and_expired_tokens()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var expiring = await IssueAsync(db, lifetime: TimeSpan.FromSeconds(30));
        var justInTime = await IssueAsync(db, lifetime: TimeSpan.FromSeconds(30));
        var unknown = OpaqueToken.Generate();
        fixture.RegisterSecret(unknown);

        Assert.Null(await db.TryConsumeSingleUseTokenAsync(Purpose, unknown));
        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMicroseconds(1));
        Assert.NotNull(await db.TryConsumeSingleUseTokenAsync(Purpose, justInTime.Value));
        clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Null(await db.TryConsumeSingleUseTokenAsync(Purpose, expiring.Value));

        // Going back in time shows the expired token was not consumed by the refused attempt.
        clock.Now = T0;
        Assert.NotNull(await db.TryConsumeSingleUseTokenAsync(Purpose, expiring.Value));
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task TryConsumeSingleUseTokenAsync_returns_null_for_a_malformed_value(string? value)
    {
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync(Purpose, value!));
    }

    public static TheoryData<string?> InvalidPurposes => new()
    {
        null,
        "",
        "   ",
        " leading",
        "trailing ",
        new string('p', 101),
        new string('p', 10_000),
        "nul\0",
        "line\nbreak",
    };

    [Theory]
    [MemberData(nameof(InvalidPurposes))]
    public async Task IssueSingleUseTokenAsync_rejects_an_invalid_purpose_and_TryConsume_too(string? purpose)
    {
        var issued = await IssueAsync(Db);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.IssueSingleUseTokenAsync(purpose!, null, TimeSpan.FromMinutes(5)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.TryConsumeSingleUseTokenAsync(purpose!, issued.Value));

        Assert.NotNull(await Db.TryConsumeSingleUseTokenAsync(Purpose, issued.Value));
    }

    public static TheoryData<TimeSpan> InvalidTokenLifetimes => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromMilliseconds(999),
        TimeSpan.FromSeconds(-1),
        TimeSpan.FromDays(30) + TimeSpan.FromTicks(1),
        TimeSpan.MaxValue,
    };

    [Theory]
    [MemberData(nameof(InvalidTokenLifetimes))]
    public async Task IssueSingleUseTokenAsync_rejects_a_lifetime_outside_one_second_to_30_days(TimeSpan lifetime)
    {
        var purpose = Unique.Name("purpose");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.IssueSingleUseTokenAsync(purpose, null, lifetime));

        Assert.Equal(0, await CountRowsAsync(fixture.Url, "single_use_tokens", $"purpose = '{purpose}'"));
    }

    [Fact]
    public async Task IssueSingleUseTokenAsync_accepts_lifetimes_of_exactly_one_second_and_30_days_and_a_100_character_purpose()
    {
        var purpose = new string('p', 100);

        var shortest = await IssueAsync(Db, lifetime: TimeSpan.FromSeconds(1), purpose: purpose);
        var longest = await IssueAsync(Db, lifetime: TimeSpan.FromDays(30), purpose: purpose);

        Assert.Equal(TimeSpan.FromSeconds(1), shortest.Token.ExpiresAt - shortest.Token.CreatedAt);
        Assert.Equal(TimeSpan.FromDays(30), longest.Token.ExpiresAt - longest.Token.CreatedAt);
        Assert.NotNull(await Db.TryConsumeSingleUseTokenAsync(purpose, longest.Value));
    }

    [Fact]
    public async Task IssueSingleUseTokenAsync_for_an_unknown_user_throws_EntityNotFound_and_writes_nothing()
    {
        var (db, url) = await FreshAsync();
        await using var _ = db;
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => db.IssueSingleUseTokenAsync(Purpose, missing, TimeSpan.FromMinutes(5)));

        Assert.Equal("User", error.Entity);
        Assert.Equal(missing.ToString(), error.Id);
        Assert.Equal(0, await CountRowsAsync(url, "single_use_tokens"));
    }

    [Fact]
    public async Task PruneExpiredSessionsAsync_deletes_10000_expired_single_use_tokens_and_keeps_the_live_ones()
    {
        const int expiredCount = 10_000;
        var clock = new FixedTimeProvider(T0);
        var (db, url) = await FreshAsync(clock);
        await using var _ = db;

        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < expiredCount)
            {
                await IssueAsync(db, lifetime: TimeSpan.FromMinutes(1));
            }
        }));
        await Task.WhenAll(workers);

        clock.Advance(TimeSpan.FromSeconds(30));
        var live = new List<IssuedSingleUseToken>();
        for (var i = 0; i < 5; i++)
        {
            live.Add(await IssueAsync(db, lifetime: TimeSpan.FromDays(1)));
        }

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(expiredCount, await db.PruneExpiredSessionsAsync(clock.Now));

        Assert.Equal(live.Count, await CountRowsAsync(url, "single_use_tokens"));
        foreach (var token in live)
        {
            Assert.Equal(token.Token.Id, (await db.TryConsumeSingleUseTokenAsync(Purpose, token.Value))?.Id);
        }

        Assert.Equal(0, await db.PruneExpiredSessionsAsync(clock.Now));
    }

    [Fact]
    public async Task PruneExpiredSessionsAsync_counts_expired_sessions_and_tokens_together()
    {
        var clock = new FixedTimeProvider(T0);
        var (db, url) = await FreshAsync(clock);
        await using var _ = db;
        var user = await NewUserAsync(db);
        await StartAsync(db, user.Id, TimeSpan.FromMinutes(1));
        await StartAsync(db, user.Id, TimeSpan.FromMinutes(1));
        var consumed = await IssueAsync(db, user.Id, TimeSpan.FromMinutes(1));
        await db.TryConsumeSingleUseTokenAsync(Purpose, consumed.Value);
        await IssueAsync(db, null, TimeSpan.FromMinutes(1));
        var liveSession = await StartAsync(db, user.Id, TimeSpan.FromHours(1));
        var liveToken = await IssueAsync(db, user.Id, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(4, await db.PruneExpiredSessionsAsync(clock.Now));

        Assert.Equal(1, await CountRowsAsync(url, "sessions"));
        Assert.Equal(1, await CountRowsAsync(url, "single_use_tokens"));
        Assert.NotNull(await db.GetSessionAsync(liveSession.Token));
        Assert.NotNull(await db.TryConsumeSingleUseTokenAsync(Purpose, liveToken.Value));
    }

    private static async Task<List<LoginSession>> ListAllPagesAsync(IDatabaseProvider db, Guid userId, bool activeOnly, int pageSize)
    {
        var sessions = new List<LoginSession>();
        var request = new PageRequest(pageSize);
        while (true)
        {
            var page = await db.ListUserSessionsAsync(userId, activeOnly, request);
            Assert.True(page.Items.Count <= pageSize);
            sessions.AddRange(page.Items);
            if (page.NextCursor is not { } cursor)
            {
                return sessions;
            }

            request = request.Next(cursor);
        }
    }

    [Fact]
    public async Task ListUserSessionsAsync_pages_a_users_sessions_newest_first_and_can_skip_revoked_and_expired_ones()
    {
        var clock = new FixedTimeProvider(T0);
        var (db, _) = await FreshAsync(clock);
        var user = await NewUserAsync(db);
        var other = await NewUserAsync(db);
        var started = new List<LoginSession>();
        for (var i = 0; i < 5; i++)
        {
            started.Add((await StartAsync(db, user.Id, lifetime: i == 1 ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1), userAgent: $"agent {i}")).Session);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await StartAsync(db, other.Id);
        Assert.True(await db.RevokeSessionAsync(started[3].Id));
        clock.Advance(TimeSpan.FromMinutes(2));

        var newestFirst = started.AsEnumerable().Reverse().Select(s => s.Id).ToList();
        Assert.Equal(newestFirst, (await ListAllPagesAsync(db, user.Id, activeOnly: false, pageSize: 2)).Select(s => s.Id));
        Assert.Equal(
            newestFirst.Where(id => id != started[1].Id && id != started[3].Id),
            (await ListAllPagesAsync(db, user.Id, activeOnly: true, pageSize: 2)).Select(s => s.Id));

        var listed = (await db.ListUserSessionsAsync(user.Id, activeOnly: false, PageRequest.First)).Items;
        Assert.Equal("agent 4", listed[0].UserAgent);
        Assert.NotNull(listed.Single(s => s.Id == started[3].Id).RevokedAt);
    }

    [Fact]
    public async Task ListUserSessionsAsync_returns_an_empty_page_for_an_unknown_user_or_one_without_sessions()
    {
        var user = await NewUserAsync();

        var page = await Db.ListUserSessionsAsync(user.Id, activeOnly: false, PageRequest.First);
        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
        Assert.Empty((await Db.ListUserSessionsAsync(Guid.NewGuid(), activeOnly: true, PageRequest.First)).Items);
    }

    [Fact]
    public async Task ListUserSessionsAsync_refuses_a_cursor_of_another_user_or_filter_and_a_null_page_before_any_io()
    {
        var user = await NewUserAsync();
        var other = await NewUserAsync();
        for (var i = 0; i < 3; i++)
        {
            await StartAsync(Db, user.Id);
        }

        var cursor = (await Db.ListUserSessionsAsync(user.Id, activeOnly: true, new PageRequest(1))).NextCursor!;

        await Assert.ThrowsAsync<ArgumentException>(() => Db.ListUserSessionsAsync(other.Id, activeOnly: true, new PageRequest(1, cursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => Db.ListUserSessionsAsync(user.Id, activeOnly: false, new PageRequest(1, cursor)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.ListUserSessionsAsync(user.Id, activeOnly: true, null!));
        Assert.Single((await Db.ListUserSessionsAsync(user.Id, activeOnly: true, new PageRequest(1, cursor))).Items);
    }
}
