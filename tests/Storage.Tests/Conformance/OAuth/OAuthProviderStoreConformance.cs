using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.OAuth;

public abstract class OAuthProviderStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string Injection = "'); DROP TABLE oauth_providers;--";

    private IDatabaseProvider Db => fixture.Provider;

    private string Secret(string kind = "client-secret")
    {
        var secret = $"{kind}-{Guid.NewGuid():N}";
        fixture.RegisterSecret(secret);
        return secret;
    }

    private OAuthProviderRegistration Registration(string name, bool isEnabled = true) => new(
        name,
        ClientId: "client-" + Unique.Suffix(),
        ClientSecret: Secret(),
        AuthorizationEndpoint: new Uri("https://login.example.org/oauth/authorize"),
        TokenEndpoint: new Uri("https://login.example.org/oauth/token"),
        IsEnabled: isEnabled);

    private async Task<IDatabaseProvider> FreshDatabaseAsync(TimeProvider? time = null)
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, time: time);
        await db.MigrateAsync();
        return db;
    }

    /// <summary>Records compare lists and URIs by reference, so compare field by field.</summary>
    private static void AssertSameProvider(OAuthProvider expected, OAuthProvider? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.ClientId, actual.ClientId);
        Assert.Equal(expected.ClientSecret, actual.ClientSecret);
        Assert.Equal(expected.AuthorizationEndpoint.OriginalString, actual.AuthorizationEndpoint.OriginalString);
        Assert.Equal(expected.TokenEndpoint.OriginalString, actual.TokenEndpoint.OriginalString);
        Assert.Equal(expected.UserInfoEndpoint?.OriginalString, actual.UserInfoEndpoint?.OriginalString);
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.IsEnabled, actual.IsEnabled);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Version, actual.Version);
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_stores_every_field_and_GetOAuthProviderAsync_returns_them()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.FromHours(-7)).AddTicks(4567));
        var db = fixture.CreateProvider(fixture.Url, time: clock);
        var name = Unique.Name("GitHub");
        var secret = Secret();
        var registration = new OAuthProviderRegistration(
            name,
            ClientId: "Iv1.0123456789abcdef",
            ClientSecret: secret,
            AuthorizationEndpoint: new Uri("https://github.com/login/oauth/authorize?allow_signup=false"),
            TokenEndpoint: new Uri("http://token.example.org:8080/oauth/token"),
            UserInfoEndpoint: new Uri("https://api.github.com/user"),
            Scopes: ["read:user", "user:email", "https://www.googleapis.com/auth/userinfo.profile", "openid"],
            DisplayName: "GitHub Enterprise — Ünïcode",
            IsEnabled: false);

        var provider = await db.UpsertOAuthProviderAsync(registration);

        Assert.Equal(7, provider.Id.Version);
        Assert.Equal(name, provider.Name);
        Assert.Equal("GitHub Enterprise — Ünïcode", provider.DisplayName);
        Assert.Equal("Iv1.0123456789abcdef", provider.ClientId);
        Assert.Equal(secret, provider.ClientSecret);
        Assert.Equal("https://github.com/login/oauth/authorize?allow_signup=false", provider.AuthorizationEndpoint.OriginalString);
        Assert.Equal("http://token.example.org:8080/oauth/token", provider.TokenEndpoint.OriginalString);
        Assert.Equal("https://api.github.com/user", provider.UserInfoEndpoint?.OriginalString);
        Assert.Equal(["https://www.googleapis.com/auth/userinfo.profile", "openid", "read:user", "user:email"], provider.Scopes);
        Assert.False(provider.IsEnabled);
        Assert.Equal(1, provider.Version);
        Assert.Equal(new DateTimeOffset(2031, 2, 3, 11, 5, 6, TimeSpan.Zero).AddTicks(4560), provider.CreatedAt);
        Assert.Equal(TimeSpan.Zero, provider.CreatedAt.Offset);
        Assert.Equal(provider.CreatedAt, provider.UpdatedAt);
        AssertSameProvider(provider, await Db.GetOAuthProviderAsync(name));
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_without_optional_fields_stores_nulls_and_no_scopes()
    {
        var name = Unique.Name("minimal");

        var provider = await Db.UpsertOAuthProviderAsync(Registration(name));
        var read = await Db.GetOAuthProviderAsync(name);

        Assert.Null(provider.DisplayName);
        Assert.Null(provider.UserInfoEndpoint);
        Assert.Empty(provider.Scopes);
        Assert.True(provider.IsEnabled);
        AssertSameProvider(provider, read);
        Assert.Empty(read!.Scopes);
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_keeps_scopes_in_ordinal_order_drops_exact_duplicates_and_is_case_sensitive()
    {
        var name = Unique.Name("scopes");

        var provider = await Db.UpsertOAuthProviderAsync(Registration(name) with { Scopes = ["profile", "openid", "Email", "email", "openid", "profile"] });

        Assert.Equal(["Email", "email", "openid", "profile"], provider.Scopes);
        Assert.Equal(["Email", "email", "openid", "profile"], (await Db.GetOAuthProviderAsync(name))!.Scopes);
    }

    [Fact]
    public async Task GetOAuthProviderAsync_ignores_case()
    {
        var name = Unique.Name("Azure-AD");
        var provider = await Db.UpsertOAuthProviderAsync(Registration(name));

        AssertSameProvider(provider, await Db.GetOAuthProviderAsync(name.ToUpperInvariant()));
        AssertSameProvider(provider, await Db.GetOAuthProviderAsync(name.ToLowerInvariant()));
    }

    [Fact]
    public async Task GetOAuthProviderAsync_returns_null_for_an_unknown_name()
    {
        Assert.Null(await Db.GetOAuthProviderAsync(Unique.Name("nobody")));
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_of_an_existing_name_in_another_case_keeps_the_id_increments_the_version_and_replaces_every_field()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var db = fixture.CreateProvider(fixture.Url, time: clock);
        var name = Unique.Name("okta");
        var first = await db.UpsertOAuthProviderAsync(Registration(name) with
        {
            DisplayName = "Okta",
            UserInfoEndpoint = new Uri("https://okta.example.org/userinfo"),
            Scopes = ["openid"],
        });
        clock.Advance(TimeSpan.FromMinutes(5));
        var newSecret = Secret("rotated-secret");

        var second = await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            name.ToUpperInvariant(),
            ClientId: "new-client",
            ClientSecret: newSecret,
            AuthorizationEndpoint: new Uri("https://okta2.example.org/authorize"),
            TokenEndpoint: new Uri("https://okta2.example.org/token"),
            UserInfoEndpoint: null,
            Scopes: ["openid", "groups"],
            DisplayName: null,
            IsEnabled: false));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Version);
        Assert.Equal(name.ToUpperInvariant(), second.Name);
        Assert.Null(second.DisplayName);
        Assert.Equal("new-client", second.ClientId);
        Assert.Equal(newSecret, second.ClientSecret);
        Assert.Equal("https://okta2.example.org/authorize", second.AuthorizationEndpoint.OriginalString);
        Assert.Equal("https://okta2.example.org/token", second.TokenEndpoint.OriginalString);
        Assert.Null(second.UserInfoEndpoint);
        Assert.Equal(["groups", "openid"], second.Scopes);
        Assert.False(second.IsEnabled);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(first.CreatedAt + TimeSpan.FromMinutes(5), second.UpdatedAt);
        AssertSameProvider(second, await Db.GetOAuthProviderAsync(name));

        var third = await db.UpsertOAuthProviderAsync(Registration(name));
        Assert.Equal(first.Id, third.Id);
        Assert.Equal(3, third.Version);
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_of_an_existing_provider_keeps_its_users_tokens()
    {
        var name = Unique.Name("keeps-tokens");
        await Db.UpsertOAuthProviderAsync(Registration(name));
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var accessToken = Secret("access");
        var token = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, name, accessToken));

        await Db.UpsertOAuthProviderAsync(Registration(name));

        var read = await Db.GetOAuthTokenAsync(user.Id, name);
        Assert.Equal(token.Id, read?.Id);
        Assert.Equal(accessToken, read?.AccessToken);
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_called_concurrently_for_one_name_creates_one_provider_and_counts_every_write()
    {
        var name = Unique.Name("race");
        const int writers = 8;

        var results = await Task.WhenAll(Enumerable.Range(0, writers)
            .Select(i => Task.Run(() => Db.UpsertOAuthProviderAsync(Registration(i % 2 == 0 ? name : name.ToUpperInvariant())))));

        Assert.Single(results.Select(p => p.Id).Distinct());
        Assert.Equal(Enumerable.Range(1, writers).Select(v => (long)v), results.Select(p => p.Version).Order());
        var stored = await Db.GetOAuthProviderAsync(name);
        Assert.Equal(writers, stored!.Version);
        Assert.Contains(results, p => p.ClientSecret == stored.ClientSecret && p.Version == writers);
    }

    [Fact]
    public async Task ListOAuthProvidersAsync_returns_providers_in_case_insensitive_name_order_and_can_skip_disabled_ones()
    {
        await using var db = await FreshDatabaseAsync();
        string[] enabled = ["google", "Azure", "github", "AUTH0"];
        string[] disabled = ["Bitbucket", "zitadel"];
        foreach (var name in enabled)
        {
            await db.UpsertOAuthProviderAsync(Registration(name));
        }

        foreach (var name in disabled)
        {
            await db.UpsertOAuthProviderAsync(Registration(name, isEnabled: false));
        }

        var all = (await db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items;
        var onlyEnabled = (await db.ListOAuthProvidersAsync(enabledOnly: true, new PageRequest(PageRequest.MaxLimit))).Items;

        Assert.Equal(["AUTH0", "Azure", "Bitbucket", "github", "google", "zitadel"], all.Select(p => p.Name));
        Assert.Equal(["AUTH0", "Azure", "github", "google"], onlyEnabled.Select(p => p.Name));
        foreach (var provider in all)
        {
            AssertSameProvider(provider, await db.GetOAuthProviderAsync(provider.Name));
        }
    }

    [Fact]
    public async Task ListOAuthProvidersAsync_reflects_a_provider_that_was_disabled_by_an_upsert()
    {
        await using var db = await FreshDatabaseAsync();
        await db.UpsertOAuthProviderAsync(Registration("one"));
        await db.UpsertOAuthProviderAsync(Registration("two"));

        await db.UpsertOAuthProviderAsync(Registration("ONE", isEnabled: false));

        Assert.Equal(["two"], ((await db.ListOAuthProvidersAsync(enabledOnly: true, new PageRequest(PageRequest.MaxLimit))).Items).Select(p => p.Name));
        Assert.Equal(["ONE", "two"], ((await db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items).Select(p => p.Name));
    }

    [Fact]
    public async Task ListOAuthProvidersAsync_of_an_empty_database_returns_an_empty_list()
    {
        await using var db = await FreshDatabaseAsync();

        Assert.Empty((await db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items);
        Assert.Empty((await db.ListOAuthProvidersAsync(enabledOnly: true, new PageRequest(PageRequest.MaxLimit))).Items);
    }

    [Fact]
    public async Task DeleteOAuthProviderAsync_ignores_case_and_returns_true_once_and_then_false()
    {
        var name = Unique.Name("to-delete");
        await Db.UpsertOAuthProviderAsync(Registration(name));

        Assert.True(await Db.DeleteOAuthProviderAsync(name.ToUpperInvariant()));
        Assert.Null(await Db.GetOAuthProviderAsync(name));
        Assert.False(await Db.DeleteOAuthProviderAsync(name));
    }

    [Fact]
    public async Task DeleteOAuthProviderAsync_deletes_the_tokens_users_hold_from_it_and_no_others()
    {
        var name = Unique.Name("doomed");
        var other = Unique.Name("survivor");
        var doomed = await Db.UpsertOAuthProviderAsync(Registration(name));
        await Db.UpsertOAuthProviderAsync(Registration(other));
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, name, Secret("access")));
        var kept = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, other, Secret("access")));

        Assert.True(await Db.DeleteOAuthProviderAsync(name));

        Assert.Equal([kept.Id], (await Db.ListOAuthTokensAsync(user.Id)).Select(t => t.Id));

        // A provider registered again under the name is a new provider, with no tokens.
        var again = await Db.UpsertOAuthProviderAsync(Registration(name));
        Assert.NotEqual(doomed.Id, again.Id);
        Assert.Equal(1, again.Version);
        Assert.Null(await Db.GetOAuthTokenAsync(user.Id, name));

        await using var raw = await fixture.OpenRawConnectionAsync(fixture.Url);
        await using var command = raw.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM oauth_tokens WHERE provider_id NOT IN (SELECT id FROM oauth_providers)";
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_stores_sql_fragments_exactly()
    {
        var name = "o'hara; DROP TABLE oauth_tokens;-- " + Unique.Suffix();
        var secret = Secret("'; DELETE FROM oauth_providers;--");

        var provider = await Db.UpsertOAuthProviderAsync(Registration(name) with
        {
            DisplayName = Injection,
            ClientId = "\" OR 1=1 --",
            ClientSecret = secret,
            Scopes = ["';DROP", "%_\\"],
        });

        var read = await Db.GetOAuthProviderAsync(name);
        AssertSameProvider(provider, read);
        Assert.Equal(Injection, read!.DisplayName);
        Assert.Equal(name, read.Name);
        Assert.Equal("\" OR 1=1 --", read.ClientId);
        Assert.Equal(secret, read.ClientSecret);
        Assert.Equal(["%_\\", "';DROP"], read.Scopes);
        Assert.Contains((await Db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items, p => p.Id == provider.Id);
    }

    public static TheoryData<string> BadRegistrations() =>
    [
        "null registration",
        "null name", "empty name", "white space name", "10,000 character name", "101 character name", "NUL in name", "padded name",
        "null client id", "empty client id", "white space client id", "501 character client id", "10,000 character client id", "NUL in client id",
        "null secret", "empty secret", "white space secret", "4,001 character secret", "10,000 character secret", "NUL in secret",
        "null authorization endpoint", "relative authorization endpoint", "ftp authorization endpoint",
        "null token endpoint", "relative token endpoint", "ftp token endpoint", "file token endpoint",
        "relative user-info endpoint", "ftp user-info endpoint",
        "scope with a space", "scope with a tab", "empty scope", "null scope", "201 character scope", "101 scopes",
        "201 character display name", "10,000 character display name", "NUL in display name",
    ];

    private OAuthProviderRegistration? BadRegistration(string name, string problem)
    {
        var valid = Registration(name);
        return problem switch
        {
            "null registration" => null,
            "null name" => valid with { Name = null! },
            "empty name" => valid with { Name = "" },
            "white space name" => valid with { Name = "   " },
            "10,000 character name" => valid with { Name = new string('n', 10_000) },
            "101 character name" => valid with { Name = new string('n', 101) },
            "NUL in name" => valid with { Name = name + "\0" },
            "padded name" => valid with { Name = " " + name },
            "null client id" => valid with { ClientId = null! },
            "empty client id" => valid with { ClientId = "" },
            "white space client id" => valid with { ClientId = " \t " },
            "501 character client id" => valid with { ClientId = new string('c', 501) },
            "10,000 character client id" => valid with { ClientId = new string('c', 10_000) },
            "NUL in client id" => valid with { ClientId = "client\0id" },
            "null secret" => valid with { ClientSecret = null! },
            "empty secret" => valid with { ClientSecret = "" },
            "white space secret" => valid with { ClientSecret = "   " },
            "4,001 character secret" => valid with { ClientSecret = new string('s', 4001) },
            "10,000 character secret" => valid with { ClientSecret = new string('s', 10_000) },
            "NUL in secret" => valid with { ClientSecret = "sec\0ret" },
            "null authorization endpoint" => valid with { AuthorizationEndpoint = null! },
            "relative authorization endpoint" => valid with { AuthorizationEndpoint = new Uri("/authorize", UriKind.Relative) },
            "ftp authorization endpoint" => valid with { AuthorizationEndpoint = new Uri("ftp://login.example.org/authorize") },
            "null token endpoint" => valid with { TokenEndpoint = null! },
            "relative token endpoint" => valid with { TokenEndpoint = new Uri("token", UriKind.Relative) },
            "ftp token endpoint" => valid with { TokenEndpoint = new Uri("ftp://login.example.org/token") },
            "file token endpoint" => valid with { TokenEndpoint = new Uri("file:///etc/passwd") },
            "relative user-info endpoint" => valid with { UserInfoEndpoint = new Uri("/userinfo", UriKind.Relative) },
            "ftp user-info endpoint" => valid with { UserInfoEndpoint = new Uri("ftp://login.example.org/userinfo") },
            "scope with a space" => valid with { Scopes = ["openid", "read write"] },
            "scope with a tab" => valid with { Scopes = ["read\twrite"] },
            "empty scope" => valid with { Scopes = ["openid", ""] },
            "null scope" => valid with { Scopes = ["openid", null!] },
            "201 character scope" => valid with { Scopes = [new string('s', 201)] },
            "101 scopes" => valid with { Scopes = Enumerable.Range(0, 101).Select(i => $"scope{i}") },
            "201 character display name" => valid with { DisplayName = new string('d', 201) },
            "10,000 character display name" => valid with { DisplayName = new string('d', 10_000) },
            "NUL in display name" => valid with { DisplayName = "display\0name" },
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "Unknown case."),
        };
    }

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task UpsertOAuthProviderAsync_rejects_bad_input_before_any_write(string problem)
    {
        var name = Unique.Name("bad");
        var registration = BadRegistration(name, problem);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertOAuthProviderAsync(registration!));

        Assert.Null(await Db.GetOAuthProviderAsync(name));
        Assert.DoesNotContain((await Db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items, p => p.Name.StartsWith(name, StringComparison.Ordinal));

        // Before any I/O: a disposed provider still reports the argument, not that it is disposed.
        var disposed = fixture.CreateProvider(fixture.Url);
        await disposed.DisposeAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => disposed.UpsertOAuthProviderAsync(registration!));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.UpsertOAuthProviderAsync(Registration(name)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nul\0name")]
    [InlineData(" padded")]
    public async Task Get_and_delete_reject_a_malformed_name(string? name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetOAuthProviderAsync(name!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.DeleteOAuthProviderAsync(name!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetOAuthProviderAsync(new string('n', 10_000)));
    }

    [Fact]
    public async Task ToString_of_a_provider_and_its_registration_never_shows_the_client_secret()
    {
        var registration = Registration(Unique.Name("printed"));

        var provider = await Db.UpsertOAuthProviderAsync(registration);
        var read = await Db.GetOAuthProviderAsync(registration.Name);

        Assert.DoesNotContain(registration.ClientSecret, registration.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(registration.ClientSecret, provider.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(registration.ClientSecret, read!.ToString(), StringComparison.Ordinal);
        Assert.Contains(registration.Name, provider.ToString(), StringComparison.Ordinal);
        Assert.Contains(Redaction.Mask, provider.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListOAuthProvidersAsync_pages_in_name_order_and_returns_each_provider_once_across_pages()
    {
        await using var db = await FreshDatabaseAsync();
        string[] names = ["delta", "Alpha", "charlie", "Echo", "bravo", "foxtrot", "golf"];
        foreach (var name in names)
        {
            await db.UpsertOAuthProviderAsync(Registration(name, isEnabled: name != "charlie"));
        }

        async Task<List<string>> AllPagesAsync(bool enabledOnly)
        {
            var listed = new List<string>();
            var request = new PageRequest(2);
            while (true)
            {
                var page = await db.ListOAuthProvidersAsync(enabledOnly, request);
                Assert.True(page.Items.Count <= 2);
                listed.AddRange(page.Items.Select(p => p.Name));
                if (page.NextCursor is not { } cursor)
                {
                    return listed;
                }

                request = request.Next(cursor);
            }
        }

        Assert.Equal(["Alpha", "bravo", "charlie", "delta", "Echo", "foxtrot", "golf"], await AllPagesAsync(enabledOnly: false));
        Assert.Equal(["Alpha", "bravo", "delta", "Echo", "foxtrot", "golf"], await AllPagesAsync(enabledOnly: true));
    }

    [Fact]
    public async Task ListOAuthProvidersAsync_refuses_a_cursor_of_the_other_filter_and_a_null_page()
    {
        await using var db = await FreshDatabaseAsync();
        await db.UpsertOAuthProviderAsync(Registration("one"));
        await db.UpsertOAuthProviderAsync(Registration("two"));
        var cursor = (await db.ListOAuthProvidersAsync(enabledOnly: true, new PageRequest(1))).NextCursor!;

        await Assert.ThrowsAsync<ArgumentException>(() => db.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(1, cursor)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => db.ListOAuthProvidersAsync(enabledOnly: false, null!));
        Assert.Equal("two", Assert.Single((await db.ListOAuthProvidersAsync(enabledOnly: true, new PageRequest(1, cursor))).Items).Name);
    }
}
