using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace GatewayStorage.Tests.AspNetCore;

/// <summary>
/// GatewayStorage.AspNetCore over real HTTP (the sample gateway in a WebApplicationFactory), on each backend:
/// authentication outcomes, claims, permissions, the shared rate limit, storage failures and what reaches the log.
/// </summary>
public abstract class GatewayApiConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    // Half-way through a minute, so a one-minute window never turns over during a test.
    private static readonly DateTimeOffset T0 = new(2031, 3, 4, 10, 0, 30, TimeSpan.Zero);

    private readonly FixedTimeProvider _time = new(T0);

    private GatewayApp NewApp(int permitLimit = 1000, Action<IServiceCollection>? services = null, string? bootstrapEmail = null) =>
        new(fixture.Url, _time, permitLimit, services: services, bootstrapEmail: bootstrapEmail);

    // ---- authentication ----

    [Fact]
    public async Task Valid_key_gets_200_with_user_roles_permissions_and_scopes_as_claims()
    {
        await using var app = NewApp();
        var (user, role, key) = await app.NewUserWithKeyAsync(["tools:invoke", "audit:read"], scopes: ["tools", "read"]);
        fixture.RegisterSecret(key.Secret);

        using var response = await app.ClientWithKey(key.Secret).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user.Id.ToString(), me.GetProperty("userId").GetString());
        Assert.Equal(user.Email, me.GetProperty("email").GetString());
        Assert.Equal("Test User", me.GetProperty("name").GetString());
        Assert.Equal(key.Key.Id.ToString(), me.GetProperty("apiKeyId").GetString());
        Assert.Equal([role.Name], Strings(me, "roles"));
        Assert.Equal(["audit:read", "tools:invoke"], Strings(me, "permissions"));
        Assert.Equal(["read", "tools"], Strings(me, "scopes"));
    }

    [Fact]
    public async Task Valid_key_in_the_configured_header_is_accepted()
    {
        await using var app = NewApp();
        var (user, _, key) = await app.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Secret);

        using var response = await client.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user.Email, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task Missing_key_gets_401_with_a_challenge_and_no_error_code()
    {
        await using var app = NewApp();

        using var response = await app.CreateClient().GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"gateway\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task Unknown_key_gets_401_with_invalid_token()
    {
        await using var app = NewApp();
        const string unknown = "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

        using var response = await app.ClientWithKey(unknown).GetAsync("/api/me");

        AssertInvalidToken(response, unknown);
    }

    [Fact]
    public async Task Revoked_key_gets_401_with_invalid_token()
    {
        await using var app = NewApp();
        var (_, _, key) = await app.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        using var client = app.ClientWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        Assert.True(await app.Database.RevokeApiKeyAsync(key.Key.Id));
        using var response = await client.GetAsync("/api/me");

        AssertInvalidToken(response, key.Secret);
    }

    [Fact]
    public async Task Expired_key_gets_401_with_invalid_token()
    {
        await using var app = NewApp();
        var (_, _, key) = await app.NewUserWithKeyAsync([], expiresAt: T0.AddMinutes(5));
        fixture.RegisterSecret(key.Secret);
        using var client = app.ClientWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(6));
        using var response = await client.GetAsync("/api/me");

        AssertInvalidToken(response, key.Secret);
    }

    [Fact]
    public async Task Key_of_a_disabled_user_gets_401()
    {
        await using var app = NewApp();
        var (_, _, key) = await app.NewUserWithKeyAsync([], active: false);
        fixture.RegisterSecret(key.Secret);

        using var response = await app.ClientWithKey(key.Secret).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization", "Bearer gsk_short")]
    [InlineData("Authorization", "Bearer not-a-key-at-all")]
    [InlineData("Authorization", "Bearer gsk_aaaaaaaaaaaa_bbbb\u00e9bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    [InlineData("Authorization", "Bearer")]
    [InlineData("Authorization", "Bearer    ")]
    [InlineData("X-Api-Key", "gsk_short")]
    [InlineData("X-Api-Key", "   ")]
    public async Task Malformed_key_gets_401_with_a_challenge_that_does_not_echo_it(string header, string value)
    {
        await using var app = NewApp();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer realm=\"gateway\", error=", challenge, StringComparison.Ordinal);
        var presented = value.Replace("Bearer", "", StringComparison.Ordinal).Trim();
        if (presented.Length > 0)
        {
            Assert.DoesNotContain(presented, challenge + await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Overlong_key_gets_401_without_being_looked_up()
    {
        var keys = Substitute.For<IApiKeyStore>();
        await using var app = NewApp(services: s => s.AddSingleton(keys));
        var overlong = "gsk_" + new string('a', 600);

        using var response = await app.ClientWithKey(overlong).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        await keys.DidNotReceiveWithAnyArgs().VerifyApiKeyAsync(default!, default);
    }

    // ---- authorization ----

    [Fact]
    public async Task Missing_permission_gets_403_and_holding_it_gets_200()
    {
        await using var app = NewApp();
        var (_, _, without) = await app.NewUserWithKeyAsync(["audit:read"]);
        var (_, _, with) = await app.NewUserWithKeyAsync(["tools:invoke"]);
        fixture.RegisterSecret(without.Secret);
        fixture.RegisterSecret(with.Secret);

        using var forbidden = await app.ClientWithKey(without.Secret).PostAsync("/api/tools/search/invoke", null);
        using var allowed = await app.ClientWithKey(with.Secret).PostAsync("/api/tools/search/invoke", null);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Admin_endpoints_create_a_user_and_a_key_that_then_authenticates()
    {
        await using var app = NewApp();
        var (_, _, admin) = await app.NewUserWithKeyAsync(["users:write", "keys:write", "roles:write"]);
        fixture.RegisterSecret(admin.Secret);
        using var client = app.ClientWithKey(admin.Secret);
        var roleName = Unique.Name("tool-user");
        var email = Unique.Email("alice");

        using var role = await client.PostAsJsonAsync("/admin/roles", new { name = roleName, permissions = new[] { "tools:invoke" } });
        using var user = await client.PostAsJsonAsync("/admin/users", new { email, displayName = "Alice", roles = new[] { roleName } });
        var userId = (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var key = await client.PostAsJsonAsync($"/admin/users/{userId}/keys", new { name = "laptop", scopes = new[] { "tools" } });
        var secret = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        fixture.RegisterSecret(secret);
        using var invoked = await app.ClientWithKey(secret).PostAsync("/api/tools/search/invoke", null);

        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal(email, (await invoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invokedBy").GetString());
    }

    [Fact]
    public async Task Admin_endpoint_without_its_permission_gets_403_and_creates_nothing()
    {
        await using var app = NewApp();
        var (_, _, key) = await app.NewUserWithKeyAsync(["keys:write"]);
        fixture.RegisterSecret(key.Secret);
        var email = Unique.Email("mallory");

        using var response = await app.ClientWithKey(key.Secret).PostAsJsonAsync("/admin/users", new { email });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await app.Database.GetUserByEmailAsync(email));
    }

    // ---- rate limiting ----

    [Fact]
    public async Task Requests_over_the_keys_limit_get_429_with_Retry_After()
    {
        await using var app = NewApp(permitLimit: 3);
        var (_, _, key) = await app.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        using var client = app.ClientWithKey(key.Secret);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync("/api/me");
            statuses.Add(ok.StatusCode);
        }

        using var limited = await client.GetAsync("/api/me");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_new_window_allows_the_key_again()
    {
        await using var app = NewApp(permitLimit: 1);
        var (_, _, key) = await app.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        using var client = app.ClientWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/me")).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Two_app_instances_sharing_one_database_respect_one_limit_under_concurrent_requests()
    {
        const int limit = 10;
        await using var first = NewApp(permitLimit: limit);
        await using var second = NewApp(permitLimit: limit);
        var (_, _, key) = await first.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        using var a = first.ClientWithKey(key.Secret);
        using var b = second.ClientWithKey(key.Secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).GetAsync("/api/me")));

        Assert.Equal(limit, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40 - limit, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK && r.RequestMessage!.RequestUri!.Host == a.BaseAddress!.Host);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    // ---- storage failures ----

    [Fact]
    public async Task Storage_down_while_verifying_gets_503_with_Retry_After_and_no_key_echo()
    {
        var keys = Substitute.For<IApiKeyStore>();
        keys.VerifyApiKeyAsync(default!, default).ReturnsForAnyArgs<ValueTask<ApiKey?>>(_ => throw new StorageUnavailableException("The database did not answer."));
        await using var app = NewApp(services: s => s.AddSingleton(keys));
        const string presented = "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

        using var response = await app.ClientWithKey(presented).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain(presented, response.Headers.ToString() + await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(presented, StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains("ApiKeyStorageUnavailable", StringComparison.Ordinal) || line.Contains("could not verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_down_while_counting_usage_gets_503_not_500()
    {
        await using var real = NewApp();
        var (_, _, key) = await real.NewUserWithKeyAsync([]);
        fixture.RegisterSecret(key.Secret);
        var verified = await real.Database.VerifyApiKeyAsync(key.Secret);
        var keys = Substitute.For<IApiKeyStore>();
        keys.VerifyApiKeyAsync(key.Secret, Arg.Any<CancellationToken>()).Returns(verified);
        keys.IncrementApiKeyUsageAsync(default, default, default).ReturnsForAnyArgs<long>(_ => throw new StorageUnavailableException("The database did not answer."));
        await using var app = NewApp(services: s => s.AddSingleton(keys));

        using var response = await app.ClientWithKey(key.Secret).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    // ---- logs ----

    [Fact]
    public async Task No_key_reaches_the_log_whatever_the_outcome()
    {
        await using var app = NewApp(permitLimit: 2);
        var (_, _, key) = await app.NewUserWithKeyAsync([]);
        var (_, _, revoked) = await app.NewUserWithKeyAsync([]);
        await app.Database.RevokeApiKeyAsync(revoked.Key.Id);
        fixture.RegisterSecret(key.Secret);
        fixture.RegisterSecret(revoked.Secret);
        const string unknown = "gsk_aaaaaaaaaaaa_cccccccccccccccccccccccccccccccccccccccccccccccccccc";

        foreach (var presented in new[] { key.Secret, key.Secret, key.Secret, revoked.Secret, unknown, "gsk_malformed" })
        {
            using var response = await app.ClientWithKey(presented).GetAsync("/api/me");
        }

        // The capture works: the authenticated, rejected and limited requests were all logged.
        Assert.Contains(app.Logs.Lines, line => line.Contains($"API key {key.Key.Id}", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains("rejected the request's API key", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, line => line.Contains("went over its limit", StringComparison.Ordinal));
        foreach (var secret in new[] { key.Secret, revoked.Secret, unknown, "gsk_malformed" })
        {
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    // ---- health ----

    [Fact]
    public async Task Healthz_reports_backend_engine_schema_version_and_no_pending_migrations()
    {
        await using var app = NewApp();

        using var response = await app.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var data = body.GetProperty("checks").GetProperty("gatewaystorage").GetProperty("data");
        Assert.Equal(fixture.Backend, data.GetProperty("backend").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("engineVersion").GetString()));
        Assert.Equal(await app.Database.GetSchemaVersionAsync(), data.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(0, data.GetProperty("pendingMigrations").GetInt32());
    }

    // ---- the sample's first admin ----

    [Fact]
    public async Task Sample_bootstraps_the_first_admin_once_with_every_permission()
    {
        var email = Unique.Email("admin");
        await using (var first = NewApp(bootstrapEmail: email))
        {
            var admin = await first.Database.GetUserByEmailAsync(email);
            Assert.NotNull(admin);
            var key = Assert.Single(await first.Database.ListApiKeysAsync(admin.Id));
            Assert.Equal("bootstrap", key.Name);
            Assert.Equal(
                ["keys:write", "roles:write", "tools:invoke", "users:write"],
                (await first.Database.GetEffectivePermissionsAsync(admin.Id)).Order(StringComparer.Ordinal));
        }

        await using var second = NewApp(bootstrapEmail: email);
        var again = await second.Database.GetUserByEmailAsync(email);
        Assert.Single(await second.Database.ListApiKeysAsync(again!.Id));
    }

    private static string[] Strings(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static void AssertInvalidToken(HttpResponseMessage response, string presented)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Equal(
            "Bearer realm=\"gateway\", error=\"invalid_token\", error_description=\"The API key is unknown, revoked, expired or malformed.\"",
            challenge);
        Assert.DoesNotContain(presented, challenge, StringComparison.Ordinal);
    }
}
