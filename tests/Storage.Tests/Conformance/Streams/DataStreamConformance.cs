using System.Text.Json;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Streams;

public abstract class DataStreamConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    // Seven rows in batches of three: two full batches and a partial one.
    private const int BatchSize = 3;
    private const int Rows = 7;

    // Window lengths must divide a day; seven of them, one per seeded row.
    private static readonly long[] WindowSeconds = [60, 120, 180, 240, 300, 360, 480];

    private static readonly Uri Endpoint = new("https://idp.example.org/authorize");

    /// <summary>A provider over a fresh, migrated database whose streams read in batches of <paramref name="batchSize"/>.</summary>
    private async Task<IDatabaseProvider> FreshAsync(int batchSize = BatchSize)
    {
        var db = fixture.CreateProvider(await fixture.CreateDatabaseAsync(), options => options.StreamBatchSize = batchSize);
        await db.MigrateAsync();
        return db;
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> stream)
    {
        var rows = new List<T>();
        await foreach (var row in stream)
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string Key(Guid id) => id.ToString("D");

    private static string Key(Guid first, Guid second) => Key(first) + "/" + Key(second);

    /// <summary>Asserts that the stream returned exactly the expected keys, each once, in ordinal key order.</summary>
    private static void AssertEveryRowOnceInOrder(IEnumerable<string> expected, IReadOnlyList<string> streamed)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal), streamed);
    }

    private sealed record Seeded(
        List<User> Users,
        List<Role> Roles,
        List<(Guid UserId, Guid RoleId)> Assignments,
        List<DirectoryGroupMapping> Mappings,
        List<OAuthProvider> Providers,
        List<OAuthToken> Tokens,
        List<ApiKey> Keys,
        List<(Guid KeyId, long Seconds)> Usage,
        List<string> ConfigKeys,
        List<McpServer> Servers,
        List<Credential> Credentials,
        List<CredentialTag> Tags,
        List<(Guid CredentialId, Guid TagId)> Links,
        List<Guid> Sessions,
        List<Guid> SingleUseTokens,
        List<AuditEntry> Audit);

    /// <summary>Puts <see cref="Rows"/> rows (more for the link tables) in every table, through the public API.</summary>
    private async Task<Seeded> SeedAsync(IDatabaseProvider db)
    {
        var users = new List<User>();
        var roles = new List<Role>();
        for (var i = 0; i < Rows; i++)
        {
            users.Add(await db.CreateUserAsync(new NewUser(Unique.Email(), $"User {i}")));
            roles.Add(await db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: i % 2 == 0 ? ["read", $"write.{i}"] : [])));
        }

        var assignments = new List<(Guid, Guid)>();
        for (var i = 0; i < Rows; i++)
        {
            await db.AssignRoleAsync(users[i].Id, roles[i].Id);
            assignments.Add((users[i].Id, roles[i].Id));
            if (i > 0)
            {
                await db.AssignRoleAsync(users[i].Id, roles[0].Id);
                assignments.Add((users[i].Id, roles[0].Id));
            }
        }

        var mappings = new List<DirectoryGroupMapping>();
        var providers = new List<OAuthProvider>();
        var tokens = new List<OAuthToken>();
        var keys = new List<ApiKey>();
        var usage = new List<(Guid, long)>();
        var configKeys = new List<string>();
        var servers = new List<McpServer>();
        var credentials = new List<Credential>();
        var tags = new List<CredentialTag>();
        var links = new List<(Guid, Guid)>();
        var sessions = new List<Guid>();
        var singleUse = new List<Guid>();
        var audit = new List<AuditEntry>();
        for (var i = 0; i < Rows; i++)
        {
            mappings.Add(await db.UpsertDirectoryMappingAsync($"CN=Group{i},DC=example,DC=org", roles[i].Id));
            var clientSecret = $"client-secret-{i}-{Unique.Suffix()}";
            fixture.RegisterSecret(clientSecret);
            providers.Add(await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration($"provider{i}", $"client{i}", clientSecret, Endpoint, Endpoint)));
            var accessToken = $"access-{i}-{Unique.Suffix()}";
            fixture.RegisterSecret(accessToken);
            tokens.Add(await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(users[0].Id, $"provider{i}", accessToken, i % 2 == 0 ? "refresh-" + accessToken : null)));
            var created = await db.CreateApiKeyAsync(new NewApiKey(users[i % 3].Id, $"key {i}"));
            fixture.RegisterSecret(created.Secret);
            keys.Add(created.Key);

            // Several windows of one key: the usage keyset runs over (key, window length, window start).
            var seconds = WindowSeconds[i];
            await db.IncrementApiKeyUsageAsync(keys[0].Id, TimeSpan.FromSeconds(seconds));
            usage.Add((keys[0].Id, seconds));
            var configKey = $"stream/key{i}";
            await db.SetConfigAsync(configKey, JsonDocument.Parse($"{{\"n\":{i}}}").RootElement);
            configKeys.Add(configKey);
            servers.Add(await db.UpsertMcpServerAsync(new McpServerRegistration($"server{i}", new Uri($"https://mcp{i}.example.org/"), Tags: i % 2 == 0 ? ["a", "b"] : null)));
            var secret = $"credential-secret-{i}-{Unique.Suffix()}";
            fixture.RegisterSecret(secret);
            credentials.Add(await db.CreateCredentialAsync(new NewCredential($"service{i}", secret)));
            tags.Add(await db.CreateCredentialTagAsync($"tag{i}"));
            var session = await db.CreateSessionAsync(new NewLoginSession(users[i].Id, TimeSpan.FromHours(1)));
            fixture.RegisterSecret(session.Token);
            sessions.Add(session.Session.Id);
            var issued = await db.IssueSingleUseTokenAsync("password-reset", i % 2 == 0 ? users[i].Id : null, TimeSpan.FromMinutes(15));
            fixture.RegisterSecret(issued.Value);
            singleUse.Add(issued.Token.Id);
            audit.Add(await db.AppendAuditAsync(new NewAuditEntry("stream.test", Actor: $"actor{i}")));
        }

        for (var i = 0; i < Rows; i++)
        {
            await db.TagCredentialAsync(credentials[i].Id, tags[i].Id, i);
            links.Add((credentials[i].Id, tags[i].Id));
            if (i > 0)
            {
                await db.TagCredentialAsync(credentials[i].Id, tags[0].Id, 10 - i);
                links.Add((credentials[i].Id, tags[0].Id));
            }
        }

        return new Seeded(users, roles, assignments, mappings, providers, tokens, keys, usage, configKeys, servers, credentials, tags, links, sessions, singleUse, audit);
    }

    [Fact]
    public async Task Every_stream_returns_every_row_exactly_once_in_key_order_across_several_batches()
    {
        await using var db = await FreshAsync();
        var seeded = await SeedAsync(db);

        AssertEveryRowOnceInOrder(seeded.Users.Select(u => Key(u.Id)), (await ReadAllAsync(db.StreamUsersAsync())).Select(u => Key(u.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Roles.Select(r => Key(r.Id)), (await ReadAllAsync(db.StreamRolesAsync())).Select(r => Key(r.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Assignments.Select(a => Key(a.UserId, a.RoleId)), (await ReadAllAsync(db.StreamUserRolesAsync())).Select(a => Key(a.UserId, a.RoleId)).ToList());
        AssertEveryRowOnceInOrder(seeded.Mappings.Select(m => Key(m.Id)), (await ReadAllAsync(db.StreamDirectoryMappingsAsync())).Select(m => Key(m.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Providers.Select(p => Key(p.Id)), (await ReadAllAsync(db.StreamOAuthProvidersAsync())).Select(p => Key(p.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Tokens.Select(t => Key(t.Id)), (await ReadAllAsync(db.StreamOAuthTokensAsync())).Select(t => Key(t.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Keys.Select(k => Key(k.Id)), (await ReadAllAsync(db.StreamApiKeysAsync())).Select(k => Key(k.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.ConfigKeys, (await ReadAllAsync(db.StreamConfigEntriesAsync())).Select(e => e.Key).ToList());
        AssertEveryRowOnceInOrder(seeded.Servers.Select(s => Key(s.Id)), (await ReadAllAsync(db.StreamMcpServersAsync())).Select(s => Key(s.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Credentials.Select(c => Key(c.Id)), (await ReadAllAsync(db.StreamCredentialsAsync())).Select(c => Key(c.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Tags.Select(t => Key(t.Id)), (await ReadAllAsync(db.StreamCredentialTagsAsync())).Select(t => Key(t.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Links.Select(l => Key(l.CredentialId, l.TagId)), (await ReadAllAsync(db.StreamCredentialTagLinksAsync())).Select(l => Key(l.CredentialId, l.TagId)).ToList());
        AssertEveryRowOnceInOrder(seeded.Sessions.Select(Key), (await ReadAllAsync(db.StreamSessionsAsync())).Select(s => Key(s.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.SingleUseTokens.Select(Key), (await ReadAllAsync(db.StreamSingleUseTokensAsync())).Select(t => Key(t.Id)).ToList());
        AssertEveryRowOnceInOrder(seeded.Audit.Select(e => Key(e.Id)), (await ReadAllAsync(db.StreamAuditEntriesAsync())).Select(e => Key(e.Id)).ToList());

        // Usage windows: one key, seven window lengths; ordered by key, then window length (numerically), then start.
        var windows = await ReadAllAsync(db.StreamApiKeyUsageAsync());
        Assert.Equal(seeded.Usage.Select(u => u.Seconds), windows.Select(w => (long)w.WindowLength.TotalSeconds));
        Assert.All(windows, w => Assert.Equal(seeded.Usage[0].KeyId, w.ApiKeyId));
        Assert.All(windows, w => Assert.Equal(1, w.Count));
    }

    [Fact]
    public async Task Streamed_rows_carry_the_stored_ids_versions_times_and_children()
    {
        await using var db = await FreshAsync();
        var seeded = await SeedAsync(db);
        var updated = await db.UpdateUserAsync(seeded.Users[2] with { DisplayName = "Renamed" });

        var users = await ReadAllAsync(db.StreamUsersAsync());
        Assert.Equal(updated, users.Single(u => u.Id == updated.Id));
        Assert.Equal(2, users.Single(u => u.Id == updated.Id).Version);

        var roles = await ReadAllAsync(db.StreamRolesAsync());
        foreach (var role in seeded.Roles)
        {
            var streamed = roles.Single(r => r.Id == role.Id);
            Assert.Equal(role.Permissions, streamed.Permissions);
            Assert.Equal((role.Name, role.Version, role.CreatedAt, role.UpdatedAt), (streamed.Name, streamed.Version, streamed.CreatedAt, streamed.UpdatedAt));
        }

        var servers = await ReadAllAsync(db.StreamMcpServersAsync());
        Assert.All(seeded.Servers, s => Assert.Equal(s.Tags, servers.Single(x => x.Id == s.Id).Tags));

        var assignment = (await ReadAllAsync(db.StreamUserRolesAsync())).First(a => a.UserId == seeded.Users[0].Id);
        Assert.Equal(seeded.Roles[0].Id, assignment.RoleId);

        var links = await ReadAllAsync(db.StreamCredentialTagLinksAsync());
        Assert.Equal(3, links.Single(l => l.CredentialId == seeded.Credentials[3].Id && l.TagId == seeded.Tags[3].Id).Priority);

        var config = await ReadAllAsync(db.StreamConfigEntriesAsync());
        Assert.Equal("{\"n\":4}", config.Single(e => e.Key == "stream/key4").Value.GetRawText());
        Assert.Equal(seeded.Audit, await ReadAllAsync(db.StreamAuditEntriesAsync()), new AuditIdAndTime());
    }

    private sealed class AuditIdAndTime : IEqualityComparer<AuditEntry>
    {
        public bool Equals(AuditEntry? x, AuditEntry? y) => (x?.Id, x?.OccurredAt, x?.Actor) == (y?.Id, y?.OccurredAt, y?.Actor);

        public int GetHashCode(AuditEntry obj) => obj.Id.GetHashCode();
    }

    [Fact]
    public async Task Secret_bearing_streams_return_the_stored_ciphertext_and_never_the_secret()
    {
        await using var db = await FreshAsync();
        var seeded = await SeedAsync(db);

        var providers = await ReadAllAsync(db.StreamOAuthProvidersAsync());
        foreach (var provider in seeded.Providers)
        {
            var row = providers.Single(p => p.Id == provider.Id);
            Assert.StartsWith("v1:", row.ClientSecretCiphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(provider.ClientSecret, row.ClientSecretCiphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(row.ClientSecretCiphertext, row.ToString(), StringComparison.Ordinal);
            Assert.Equal((provider.Name, provider.ClientId, provider.Version), (row.Name, row.ClientId, row.Version));
        }

        var tokens = await ReadAllAsync(db.StreamOAuthTokensAsync());
        foreach (var token in seeded.Tokens)
        {
            var row = tokens.Single(t => t.Id == token.Id);
            Assert.Equal(seeded.Providers.Single(p => p.Name == token.Provider).Id, row.ProviderId);
            Assert.StartsWith("v1:", row.AccessTokenCiphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(token.AccessToken, row.AccessTokenCiphertext, StringComparison.Ordinal);
            Assert.Equal(token.RefreshToken is null, row.RefreshTokenCiphertext is null);
            Assert.DoesNotContain(row.AccessTokenCiphertext, row.ToString(), StringComparison.Ordinal);
        }

        var credentials = await ReadAllAsync(db.StreamCredentialsAsync());
        foreach (var credential in seeded.Credentials)
        {
            var row = credentials.Single(c => c.Id == credential.Id);
            Assert.StartsWith("v1:", row.SecretCiphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(credential.Secret, row.SecretCiphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(row.SecretCiphertext, row.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_stream_of_an_empty_database_yields_nothing()
    {
        await using var db = await FreshAsync();

        Assert.Empty(await ReadAllAsync(db.StreamUsersAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamRolesAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamUserRolesAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamDirectoryMappingsAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamOAuthProvidersAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamOAuthTokensAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamApiKeysAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamApiKeyUsageAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamConfigEntriesAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamMcpServersAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamCredentialsAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamCredentialTagsAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamCredentialTagLinksAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamSessionsAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamSingleUseTokensAsync()));
        Assert.Empty(await ReadAllAsync(db.StreamAuditEntriesAsync()));
    }

    [Fact]
    public async Task A_stream_whose_row_count_is_a_multiple_of_the_batch_size_returns_each_row_once()
    {
        await using var db = await FreshAsync();
        var keys = new List<string>();
        for (var i = 0; i < 2 * BatchSize; i++)
        {
            keys.Add($"exact/{i}");
            await db.SetConfigAsync(keys[^1], JsonDocument.Parse("1").RootElement);
        }

        AssertEveryRowOnceInOrder(keys, (await ReadAllAsync(db.StreamConfigEntriesAsync())).Select(e => e.Key).ToList());
    }

    [Fact]
    public async Task Rows_written_behind_the_cursor_during_enumeration_are_not_returned_again()
    {
        await using var db = await FreshAsync();
        var one = JsonDocument.Parse("1").RootElement;
        for (var i = 0; i < Rows; i++)
        {
            await db.SetConfigAsync($"m{i}", one);
        }

        var streamed = new List<string>();
        await foreach (var entry in db.StreamConfigEntriesAsync())
        {
            streamed.Add(entry.Key);
            if (streamed.Count == BatchSize + 1)
            {
                // Mid-way through the second batch: a row behind the cursor, a changed row behind it, a row ahead of it.
                await db.SetConfigAsync("a-behind", one);
                await db.SetConfigAsync("m0", JsonDocument.Parse("2").RootElement);
                await db.SetConfigAsync("z-ahead", one);
            }
        }

        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "z-ahead"], streamed);
    }

    [Fact]
    public async Task A_user_changed_behind_the_cursor_during_enumeration_is_not_returned_again()
    {
        await using var db = await FreshAsync();
        var users = new List<User>();
        for (var i = 0; i < Rows; i++)
        {
            users.Add(await db.CreateUserAsync(new NewUser(Unique.Email())));
        }

        var streamed = new List<Guid>();
        await foreach (var user in db.StreamUsersAsync())
        {
            streamed.Add(user.Id);
            if (streamed.Count == BatchSize + 1)
            {
                await db.UpdateUserAsync(users[0] with { DisplayName = "changed" });
                await db.RecordLoginAsync(users[1].Id);
            }
        }

        Assert.Equal(users.Select(u => u.Id), streamed);
    }

    [Fact]
    public async Task Cancelling_the_token_stops_the_enumeration_with_OperationCanceledException()
    {
        await using var db = await FreshAsync();
        for (var i = 0; i < Rows; i++)
        {
            await db.CreateUserAsync(new NewUser(Unique.Email()));
        }

        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in db.StreamUsersAsync(cts.Token))
            {
                if (++seen == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(2, seen);
    }

    [Fact]
    public async Task A_token_passed_through_WithCancellation_stops_the_enumeration_too()
    {
        await using var db = await FreshAsync();
        for (var i = 0; i < Rows; i++)
        {
            await db.AppendAuditAsync(new NewAuditEntry("stream.cancel"));
        }

        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in db.StreamAuditEntriesAsync().WithCancellation(cts.Token))
            {
                if (++seen == BatchSize + 1)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(BatchSize + 1, seen);
    }

    [Fact]
    public async Task A_stream_started_with_a_cancelled_token_throws_before_reading_anything()
    {
        await using var db = await FreshAsync();
        await db.CreateUserAsync(new NewUser(Unique.Email()));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAllAsync(db.StreamUsersAsync(cts.Token)));
    }

    [Fact]
    public async Task A_stream_holds_no_connection_between_batches_so_writes_proceed_while_it_is_paused()
    {
        // One pooled connection at most: a stream that kept its connection between rows would starve the writes below.
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, options =>
        {
            options.StreamBatchSize = BatchSize;
            options.MaxPoolSize = 1;
            options.BusyTimeout = TimeSpan.FromSeconds(5);
        });
        await db.MigrateAsync();
        for (var i = 0; i < Rows; i++)
        {
            await db.CreateUserAsync(new NewUser(Unique.Email()));
        }

        var count = 0;
        await foreach (var user in db.StreamUsersAsync())
        {
            count++;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await db.RecordLoginAsync(user.Id, timeout.Token);
        }

        Assert.Equal(Rows, count);
    }
}
