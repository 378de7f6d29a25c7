using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.OAuth;

public abstract class OAuthTokenStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private IDatabaseProvider Db => fixture.Provider;

    private string Secret(string kind)
    {
        var secret = $"{kind}-{Guid.NewGuid():N}";
        fixture.RegisterSecret(secret);
        return secret;
    }

    private async Task<string> ProviderAsync(IDatabaseProvider db, string? name = null)
    {
        name ??= Unique.Name("idp");
        await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            name,
            ClientId: "client",
            ClientSecret: Secret("client-secret"),
            AuthorizationEndpoint: new Uri("https://idp.example.org/authorize"),
            TokenEndpoint: new Uri("https://idp.example.org/token")));
        return name;
    }

    private static async Task<Guid> UserAsync(IDatabaseProvider db) => (await db.CreateUserAsync(new NewUser(Unique.Email()))).Id;

    private static FixedTimeProvider NewClock() => new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private async Task<IDatabaseProvider> FreshDatabaseAsync(string url, TimeProvider? time = null, Action<GatewayStorageOptions>? configure = null)
    {
        var db = fixture.CreateProvider(url, configure, time);
        await db.MigrateAsync();
        return db;
    }

    /// <summary>Records compare lists by reference, so compare field by field.</summary>
    private static void AssertSameToken(OAuthToken expected, OAuthToken? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UserId, actual.UserId);
        Assert.Equal(expected.Provider, actual.Provider);
        Assert.Equal(expected.AccessToken, actual.AccessToken);
        Assert.Equal(expected.RefreshToken, actual.RefreshToken);
        Assert.Equal(expected.TokenType, actual.TokenType);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_stores_every_field_and_GetOAuthTokenAsync_returns_them()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2031, 7, 8, 9, 10, 11, TimeSpan.FromHours(2)).AddTicks(9876));
        var db = fixture.CreateProvider(fixture.Url, time: clock);
        var provider = await ProviderAsync(db, Unique.Name("Google"));
        var user = await UserAsync(db);
        var access = Secret("ya29.access");
        var refresh = Secret("1//refresh");
        var expiresAt = new DateTimeOffset(2031, 7, 8, 15, 10, 11, TimeSpan.FromHours(5.5)).AddTicks(1234567);

        var token = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(
            user, provider.ToUpperInvariant(), access, refresh, expiresAt, ["openid", "email", "https://www.googleapis.com/auth/drive"], "DPoP"));

        Assert.Equal(7, token.Id.Version);
        Assert.Equal(user, token.UserId);
        Assert.Equal(provider, token.Provider);
        Assert.Equal(access, token.AccessToken);
        Assert.Equal(refresh, token.RefreshToken);
        Assert.Equal("DPoP", token.TokenType);
        Assert.Equal(["email", "https://www.googleapis.com/auth/drive", "openid"], token.Scopes);
        Assert.Equal(new DateTimeOffset(2031, 7, 8, 9, 40, 11, TimeSpan.Zero).AddTicks(1234560), token.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, token.ExpiresAt!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2031, 7, 8, 7, 10, 11, TimeSpan.Zero).AddTicks(9870), token.CreatedAt);
        Assert.Equal(token.CreatedAt, token.UpdatedAt);
        AssertSameToken(token, await Db.GetOAuthTokenAsync(user, provider));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_with_only_an_access_token_uses_the_defaults()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var access = Secret("access");

        var token = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, access));

        Assert.Null(token.RefreshToken);
        Assert.Null(token.ExpiresAt);
        Assert.Empty(token.Scopes);
        Assert.Equal("Bearer", token.TokenType);
        AssertSameToken(token, await Db.GetOAuthTokenAsync(user, provider));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_stores_a_null_token_type()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);

        var token = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access"), TokenType: null));

        Assert.Null(token.TokenType);
        Assert.Null((await Db.GetOAuthTokenAsync(user, provider))!.TokenType);
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_again_keeps_the_row_id_and_replaces_the_tokens()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2032, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var db = fixture.CreateProvider(fixture.Url, time: clock);
        var provider = await ProviderAsync(db);
        var user = await UserAsync(db);
        var first = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(
            user, provider, Secret("access-1"), Secret("refresh-1"), clock.Now.AddHours(1), ["a", "b"], "Bearer"));
        clock.Advance(TimeSpan.FromMinutes(30));
        var newAccess = Secret("access-2");

        var second = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider.ToUpperInvariant(), newAccess, Scopes: ["c"], TokenType: "mac"));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(newAccess, second.AccessToken);
        Assert.Null(second.RefreshToken);
        Assert.Null(second.ExpiresAt);
        Assert.Equal(["c"], second.Scopes);
        Assert.Equal("mac", second.TokenType);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(first.CreatedAt + TimeSpan.FromMinutes(30), second.UpdatedAt);
        AssertSameToken(second, await Db.GetOAuthTokenAsync(user, provider));
        Assert.Single(await Db.ListOAuthTokensAsync(user));

        // And back: a refresh token added to an existing row is readable too.
        var refresh = Secret("refresh-3");
        var third = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access-3"), refresh));
        Assert.Equal(first.Id, third.Id);
        AssertSameToken(third, await Db.GetOAuthTokenAsync(user, provider));
        Assert.Equal(refresh, third.RefreshToken);
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_called_concurrently_for_one_user_and_provider_keeps_one_readable_row()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var accessTokens = Enumerable.Range(0, 8).Select(i => Secret($"access-{i}")).ToList();

        var results = await Task.WhenAll(accessTokens.Select(access =>
            Task.Run(() => Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, access, Secret("refresh"))))));

        Assert.Single(results.Select(t => t.Id).Distinct());
        var stored = await Db.GetOAuthTokenAsync(user, provider);
        Assert.Contains(stored!.AccessToken, accessTokens);
        Assert.Equal(results[0].Id, stored.Id);
        Assert.Single(await Db.ListOAuthTokensAsync(user));
    }

    [Fact]
    public async Task GetOAuthTokenAsync_ignores_the_case_of_the_provider_name()
    {
        var provider = await ProviderAsync(Db, Unique.Name("MixedCase"));
        var user = await UserAsync(Db);
        var token = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access")));

        AssertSameToken(token, await Db.GetOAuthTokenAsync(user, provider.ToLowerInvariant()));
        AssertSameToken(token, await Db.GetOAuthTokenAsync(user, provider.ToUpperInvariant()));
    }

    [Fact]
    public async Task GetOAuthTokenAsync_returns_null_when_the_user_holds_no_tokens_from_the_provider()
    {
        var provider = await ProviderAsync(Db);
        var other = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access")));

        Assert.Null(await Db.GetOAuthTokenAsync(user, other));
        Assert.Null(await Db.GetOAuthTokenAsync(await UserAsync(Db), provider));
        Assert.Null(await Db.GetOAuthTokenAsync(Guid.NewGuid(), provider));
        Assert.Null(await Db.GetOAuthTokenAsync(user, Unique.Name("unknown")));
    }

    [Fact]
    public async Task ListOAuthTokensAsync_returns_the_users_tokens_in_provider_name_order()
    {
        var suffix = Unique.Suffix();
        string[] providers = [$"gitlab-{suffix}", $"Auth0-{suffix}", $"google-{suffix}", $"BITBUCKET-{suffix}"];
        foreach (var name in providers)
        {
            await ProviderAsync(Db, name);
        }

        var user = await UserAsync(Db);
        var otherUser = await UserAsync(Db);
        var stored = new List<OAuthToken>();
        foreach (var name in providers)
        {
            stored.Add(await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, name, Secret("access"), Secret("refresh"), Scopes: ["x", "y"])));
        }

        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(otherUser, providers[0], Secret("access")));

        var listed = await Db.ListOAuthTokensAsync(user);

        Assert.Equal([$"Auth0-{suffix}", $"BITBUCKET-{suffix}", $"gitlab-{suffix}", $"google-{suffix}"], listed.Select(t => t.Provider));
        foreach (var token in listed)
        {
            AssertSameToken(stored.Single(s => s.Id == token.Id), token);
        }

        Assert.Single(await Db.ListOAuthTokensAsync(otherUser));
        Assert.Empty(await Db.ListOAuthTokensAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task DeleteOAuthTokenAsync_deletes_only_that_users_tokens_from_that_provider()
    {
        var provider = await ProviderAsync(Db);
        var other = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var otherUser = await UserAsync(Db);
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access")));
        var keptForUser = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, other, Secret("access")));
        var keptForOther = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(otherUser, provider, Secret("access")));

        Assert.True(await Db.DeleteOAuthTokenAsync(user, provider.ToUpperInvariant()));
        Assert.False(await Db.DeleteOAuthTokenAsync(user, provider));

        Assert.Null(await Db.GetOAuthTokenAsync(user, provider));
        Assert.Equal([keptForUser.Id], (await Db.ListOAuthTokensAsync(user)).Select(t => t.Id));
        AssertSameToken(keptForOther, await Db.GetOAuthTokenAsync(otherUser, provider));
        Assert.False(await Db.DeleteOAuthTokenAsync(user, Unique.Name("unknown")));
        Assert.False(await Db.DeleteOAuthTokenAsync(Guid.NewGuid(), provider));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_for_an_unknown_provider_throws_EntityNotFoundException_and_writes_nothing()
    {
        var user = await UserAsync(Db);
        var missing = Unique.Name("missing");

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(
            () => Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, missing, Secret("access"))));

        Assert.Equal("OAuthProvider", error.Entity);
        Assert.Equal(missing, error.Id);
        Assert.Empty(await Db.ListOAuthTokensAsync(user));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_for_an_unknown_user_throws_EntityNotFoundException_and_writes_nothing()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = await FreshDatabaseAsync(url);
        var provider = await ProviderAsync(db);
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(
            () => db.UpsertOAuthTokenAsync(new OAuthTokenGrant(missing, provider, Secret("access"))));

        Assert.Equal("User", error.Entity);
        Assert.Equal(missing.ToString(), error.Id);
        Assert.Empty(await db.ListOAuthTokensAsync(missing));

        // Nothing at all was written, and the provider still works for a real user.
        await using (var raw = await fixture.OpenRawConnectionAsync(url))
        await using (var command = raw.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*) FROM oauth_tokens";
            Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var user = await UserAsync(db);
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access")));
        Assert.Single(await db.ListOAuthTokensAsync(user));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_for_an_unknown_user_of_an_unknown_provider_names_the_provider()
    {
        var error = await Assert.ThrowsAsync<EntityNotFoundException>(
            () => Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(Guid.NewGuid(), Unique.Name("missing"), Secret("access"))));

        Assert.Equal("OAuthProvider", error.Entity);
    }

    [Fact]
    public async Task DeleteUserAsync_deletes_the_users_tokens()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var otherUser = await UserAsync(Db);
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access"), Secret("refresh")));
        var kept = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(otherUser, provider, Secret("access")));

        Assert.True(await Db.DeleteUserAsync(user));

        Assert.Null(await Db.GetOAuthTokenAsync(user, provider));
        Assert.Empty(await Db.ListOAuthTokensAsync(user));
        AssertSameToken(kept, await Db.GetOAuthTokenAsync(otherUser, provider));
    }

    [Fact]
    public async Task PruneExpiredOAuthTokensAsync_deletes_in_batches_exactly_the_expired_tokens_without_a_refresh_token()
    {
        var clock = NewClock();
        await using var db = await FreshDatabaseAsync(await fixture.CreateDatabaseAsync(), clock, o => o.PruneBatchSize = 2);
        var now = clock.Now;
        var provider = await ProviderAsync(db);
        var other = await ProviderAsync(db);

        var expired = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var user = await UserAsync(db);
            await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, i % 2 == 0 ? provider : other, Secret("access"), ExpiresAt: now.AddMinutes(-1 - i)));
            expired.Add(user);
        }

        var keeper = await UserAsync(db);
        var withRefresh = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(keeper, provider, Secret("access"), Secret("refresh"), now.AddDays(-30)));
        var live = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(keeper, other, Secret("access"), ExpiresAt: now.AddSeconds(1)));
        var third = await ProviderAsync(db);
        var atCutoff = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(keeper, third, Secret("access"), ExpiresAt: now));
        var fourth = await ProviderAsync(db);
        var noExpiry = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(keeper, fourth, Secret("access")));

        Assert.Equal(5L, await db.PruneExpiredOAuthTokensAsync(now));
        Assert.Equal(0L, await db.PruneExpiredOAuthTokensAsync(now));

        foreach (var user in expired)
        {
            Assert.Empty(await db.ListOAuthTokensAsync(user));
        }

        Assert.Equal(
            new[] { withRefresh.Id, live.Id, atCutoff.Id, noExpiry.Id }.Order(),
            (await db.ListOAuthTokensAsync(keeper)).Select(t => t.Id).Order());
    }

    [Fact]
    public async Task PruneExpiredOAuthTokensAsync_counts_a_number_of_tokens_that_is_a_multiple_of_the_batch_size()
    {
        var clock = NewClock();
        await using var db = await FreshDatabaseAsync(await fixture.CreateDatabaseAsync(), clock, o => o.PruneBatchSize = 2);
        var provider = await ProviderAsync(db);
        for (var i = 0; i < 4; i++)
        {
            await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(await UserAsync(db), provider, Secret("access"), ExpiresAt: clock.Now));
        }

        // A cut-off in another offset means the same instant.
        Assert.Equal(0L, await db.PruneExpiredOAuthTokensAsync(clock.Now.ToOffset(TimeSpan.FromHours(-3))));
        Assert.Equal(4L, await db.PruneExpiredOAuthTokensAsync(clock.Now.AddTicks(10).ToOffset(TimeSpan.FromHours(9))));
        Assert.Equal(0L, await db.PruneExpiredOAuthTokensAsync(DateTimeOffset.MaxValue));
    }

    public static TheoryData<string> BadGrants() =>
    [
        "null grant",
        "null provider", "empty provider", "white space provider", "10,000 character provider", "NUL in provider",
        "null access token", "empty access token", "white space access token", "16,001 character access token", "NUL in access token",
        "empty refresh token", "white space refresh token", "16,001 character refresh token", "NUL in refresh token",
        "empty token type", "white space token type", "51 character token type", "NUL in token type",
        "scope with a space", "empty scope", "null scope", "201 character scope",
    ];

    private OAuthTokenGrant? BadGrant(Guid user, string provider, string problem)
    {
        var valid = new OAuthTokenGrant(user, provider, Secret("access"), Secret("refresh"));
        return problem switch
        {
            "null grant" => null,
            "null provider" => valid with { Provider = null! },
            "empty provider" => valid with { Provider = "" },
            "white space provider" => valid with { Provider = "  " },
            "10,000 character provider" => valid with { Provider = new string('p', 10_000) },
            "NUL in provider" => valid with { Provider = provider + "\0" },
            "null access token" => valid with { AccessToken = null! },
            "empty access token" => valid with { AccessToken = "" },
            "white space access token" => valid with { AccessToken = " \n " },
            "16,001 character access token" => valid with { AccessToken = new string('a', 16_001) },
            "NUL in access token" => valid with { AccessToken = "acc\0ess" },
            "empty refresh token" => valid with { RefreshToken = "" },
            "white space refresh token" => valid with { RefreshToken = "   " },
            "16,001 character refresh token" => valid with { RefreshToken = new string('r', 16_001) },
            "NUL in refresh token" => valid with { RefreshToken = "ref\0resh" },
            "empty token type" => valid with { TokenType = "" },
            "white space token type" => valid with { TokenType = " " },
            "51 character token type" => valid with { TokenType = new string('t', 51) },
            "NUL in token type" => valid with { TokenType = "Bea\0rer" },
            "scope with a space" => valid with { Scopes = ["read write"] },
            "empty scope" => valid with { Scopes = [""] },
            "null scope" => valid with { Scopes = [null!] },
            "201 character scope" => valid with { Scopes = [new string('s', 201)] },
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "Unknown case."),
        };
    }

    [Theory]
    [MemberData(nameof(BadGrants))]
    public async Task UpsertOAuthTokenAsync_rejects_bad_input_before_any_write(string problem)
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var grant = BadGrant(user, provider, problem);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertOAuthTokenAsync(grant!));

        Assert.Empty(await Db.ListOAuthTokensAsync(user));

        // Before any I/O: a disposed provider still reports the argument, not that it is disposed.
        var disposed = fixture.CreateProvider(fixture.Url);
        await disposed.DisposeAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => disposed.UpsertOAuthTokenAsync(grant!));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access"))));
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_accepts_tokens_of_the_maximum_length()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var access = Secret("long-access");
        access += new string('A', 16_000 - access.Length);
        var refresh = Secret("long-refresh");
        refresh += new string('R', 16_000 - refresh.Length);
        fixture.RegisterSecret(access);
        fixture.RegisterSecret(refresh);

        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, access, refresh, TokenType: new string('t', 50)));

        var read = await Db.GetOAuthTokenAsync(user, provider);
        Assert.Equal(access, read!.AccessToken);
        Assert.Equal(refresh, read.RefreshToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nul\0name")]
    public async Task Get_and_delete_reject_a_malformed_provider_name(string? provider)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetOAuthTokenAsync(Guid.NewGuid(), provider!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.DeleteOAuthTokenAsync(Guid.NewGuid(), provider!));
    }

    [Fact]
    public async Task ToString_of_a_token_and_its_grant_never_shows_the_tokens()
    {
        var provider = await ProviderAsync(Db);
        var user = await UserAsync(Db);
        var grant = new OAuthTokenGrant(user, provider, Secret("access"), Secret("refresh"), DateTimeOffset.UtcNow.AddHours(1), ["openid"]);

        var token = await Db.UpsertOAuthTokenAsync(grant);
        var read = await Db.GetOAuthTokenAsync(user, provider);

        foreach (var text in new[] { grant.ToString(), token.ToString(), read!.ToString() })
        {
            Assert.DoesNotContain(grant.AccessToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(grant.RefreshToken!, text, StringComparison.Ordinal);
            Assert.Contains(Redaction.Mask, text, StringComparison.Ordinal);
            Assert.Contains(provider, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UpsertOAuthTokenAsync_refuses_a_new_provider_beyond_the_per_user_limit_but_replaces_held_tokens()
    {
        var user = await UserAsync(Db);
        var providers = new List<string>();
        for (var i = 0; i < IOAuthTokenStore.MaxOAuthTokensPerUser; i++)
        {
            providers.Add(await ProviderAsync(Db));
            await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, providers[^1], Secret("access")));
        }

        var extra = await ProviderAsync(Db);

        var error = await Assert.ThrowsAsync<LimitExceededException>(() => Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, extra, Secret("access"))));
        Assert.Equal(IOAuthTokenStore.MaxOAuthTokensPerUser, error.Limit);
        Assert.Null(await Db.GetOAuthTokenAsync(user, extra));
        var replaced = Secret("access");
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, providers[0], replaced));
        Assert.Equal(replaced, (await Db.GetOAuthTokenAsync(user, providers[0]))!.AccessToken);
        Assert.Equal(IOAuthTokenStore.MaxOAuthTokensPerUser, (await Db.ListOAuthTokensAsync(user)).Count);
    }
}
