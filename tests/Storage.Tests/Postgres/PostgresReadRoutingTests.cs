using System.Collections.Concurrent;
using GatewayStorage.Relational;
using GatewayStorage.Tests.Support;
using Npgsql;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// <c>read_from=standby</c> on a real primary and streaming standby: each operation runs where the README's routing
/// table says (asked of the server itself: <c>pg_is_in_recovery()</c>, <c>inet_server_port()</c>), and a standby whose
/// replay is paused never breaks an operation that must see the caller's own writes.
/// </summary>
public sealed class PostgresReadRoutingTests(StandbyReadsFixture fixture) : IClassFixture<StandbyReadsFixture>
{
    [Fact]
    public async Task Lag_tolerant_reads_run_on_the_standby_and_writes_and_read_your_writes_operations_on_the_primary()
    {
        var db = fixture.Provider;
        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "routing"));
        fixture.RegisterSecret(key.Secret);
        var session = await db.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromHours(1)));
        fixture.RegisterSecret(session.Token);
        await fixture.WaitForReplayAsync(fixture.Url);
        var primary = (await fixture.PrimaryAsync()).Port;
        var standby = (await fixture.StandbyAsync()).Port;
        var where = Track(db);

        async Task<(bool InRecovery, int Port)> RanOn(Func<Task> operation)
        {
            where.Clear();
            await operation();
            return Assert.Single(where.Distinct());
        }

        // Lag-tolerant: lists, counts, audit queries and the named lookups.
        Assert.Equal((true, standby), await RanOn(() => db.ListUsersAsync(UserQuery.All, PageRequest.First)));
        Assert.Equal((true, standby), await RanOn(() => db.CountUsersAsync(UserQuery.All)));
        Assert.Equal((true, standby), await RanOn(() => db.ListApiKeysAsync(user.Id)));
        Assert.Equal((true, standby), await RanOn(() => db.QueryAuditAsync(AuditQuery.All, PageRequest.First)));
        Assert.Equal((true, standby), await RanOn(() => db.ListRolesAsync(PageRequest.First)));
        Assert.Equal((true, standby), await RanOn(() => db.ListUserSessionsAsync(user.Id, activeOnly: true, PageRequest.First)));

        // The primary: writes, and reads that must see the caller's own writes.
        Assert.Equal((false, primary), await RanOn(async () => Assert.NotNull(await db.VerifyApiKeyAsync(key.Secret))));
        Assert.Equal((false, primary), await RanOn(() => db.GetApiKeyAsync(key.Key.Id)));
        Assert.Equal((false, primary), await RanOn(() => db.GetUserAsync(user.Id)));
        Assert.Equal((false, primary), await RanOn(() => db.GetUserByEmailAsync(user.Email)));
        Assert.Equal((false, primary), await RanOn(() => db.GetSessionAsync(session.Token)));
        Assert.Equal((false, primary), await RanOn(() => db.GetEffectivePermissionsAsync(user.Id)));
        Assert.Equal((false, primary), await RanOn(() => db.GetUserRolesAsync(user.Id)));
        Assert.Equal((false, primary), await RanOn(() => db.GetConfigAsync("routing.key")));
        Assert.Equal((false, primary), await RanOn(() => db.UpdateUserAsync(user with { DisplayName = "routed" })));
        Assert.Equal((false, primary), await RanOn(() => db.AppendAuditAsync(new NewAuditEntry("routing.checked"))));
    }

    [Fact]
    public async Task While_the_standby_replays_nothing_read_your_writes_operations_see_every_write_at_once()
    {
        var db = fixture.Provider;
        var url = fixture.Url;
        await using var standby = await ReplicatedPostgresFixture.OpenAsync(await fixture.StandbyAsync(), url);
        await new NpgsqlCommand("SELECT pg_wal_replay_pause()", standby).ExecuteNonQueryAsync();
        try
        {
            var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
            var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "paused"));
            fixture.RegisterSecret(key.Secret);
            var role = await db.CreateRoleAsync(new NewRole(Unique.Name("paused"), Permissions: ["paused.read"]));
            await db.AssignRoleAsync(user.Id, role.Id);
            var token = await db.IssueSingleUseTokenAsync("paused-reset", user.Id, TimeSpan.FromMinutes(5));
            fixture.RegisterSecret(token.Value);

            // The lag is real: a lag-tolerant list does not see the new user yet.
            Assert.DoesNotContain(user.Id, (await db.ListUsersAsync(UserQuery.All, new PageRequest(PageRequest.MaxLimit))).Items.Select(u => u.Id));

            // A user is read on the primary: signing up, then logging in by email or loading by id, finds the user.
            Assert.Equal(user, await db.GetUserAsync(user.Id));
            Assert.Equal(user, await db.GetUserByEmailAsync(user.Email));

            Assert.Equal(key.Key.Id, (await db.VerifyApiKeyAsync(key.Secret))?.Id);
            Assert.Contains("paused.read", await db.GetEffectivePermissionsAsync(user.Id));
            Assert.NotNull(await db.TryConsumeSingleUseTokenAsync("paused-reset", token.Value));
            Assert.Null(await db.TryConsumeSingleUseTokenAsync("paused-reset", token.Value));
            var updated = await db.UpdateUserAsync(user with { DisplayName = "after create" });
            Assert.Equal(user.Version + 1, updated.Version);
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.UpdateUserAsync(user with { DisplayName = "stale" }));
        }
        finally
        {
            await new NpgsqlCommand("SELECT pg_wal_replay_resume()", standby).ExecuteNonQueryAsync();
        }
    }

    /// <summary>Records, for every session the provider opens, whether its server is in recovery and its port.</summary>
    internal static ConcurrentQueue<(bool InRecovery, int Port)> Track(IDatabaseProvider provider)
    {
        var where = new ConcurrentQueue<(bool, int)>();
        ((RelationalDatabaseProvider)provider).Context.SessionOpenedHook = async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), inet_server_port()", (NpgsqlConnection)connection);
            await using var reader = await command.ExecuteReaderAsync(token);
            await reader.ReadAsync(token);
            where.Enqueue((reader.GetBoolean(0), reader.GetInt32(1)));
        };
        return where;
    }

    /// <summary>Stops recording (see <see cref="Track"/>).</summary>
    internal static void Untrack(IDatabaseProvider provider) => ((RelationalDatabaseProvider)provider).Context.SessionOpenedHook = null;
}
