using System.Diagnostics;
using GatewayStorage.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GatewayStorage.Tests.Conformance.Telemetry;

public abstract class TelemetryConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    // A well-formed key (prefix, 12-character public id, 52-character secret) that no store issued.
    private const string WellFormedUnknownKey = "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private IDatabaseProvider Db => fixture.Provider;

    private string SystemName => fixture.Backend == "sqlite" ? "sqlite" : "postgresql";

    [Fact]
    public async Task Each_database_session_of_a_store_operation_is_one_client_span_named_after_the_operation_and_its_table()
    {
        using var capture = new TelemetryCapture();
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var created = await Db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("key")));
        Assert.NotNull(await Db.VerifyApiKeyAsync(created.Secret));
        Assert.NotNull(await Db.VerifyApiKeyAsync(created.Secret));
        await Db.GetUserAsync(user.Id);

        // The first verification also records the key's last use (a second session, a sibling span); the second is one read.
        var spans = capture.Spans;
        Assert.Equal(
            ["CreateUser users", "CreateApiKey api_keys", "VerifyApiKey api_keys", "VerifyApiKey api_keys", "VerifyApiKey api_keys", "GetUser users"],
            spans.Select(s => s.DisplayName));
        Assert.All(spans, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(capture.RootSpanId, span.ParentSpanId);
            Assert.Equal(SystemName, span.GetTagItem("db.system.name"));
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Null(span.GetTagItem("error.type"));
        });
        var verify = spans[2];
        Assert.Equal("VerifyApiKey", verify.GetTagItem("db.operation.name"));
        Assert.Equal("api_keys", verify.GetTagItem("db.collection.name"));
        if (fixture.Backend == "sqlite")
        {
            Assert.Null(verify.GetTagItem("server.address"));
            Assert.Null(verify.GetTagItem("server.port"));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(verify.GetTagItem("server.address") as string));
            Assert.IsType<int>(verify.GetTagItem("server.port"));
        }
    }

    [Fact]
    public async Task A_failed_operation_names_the_exception_type_on_its_span_and_its_duration()
    {
        var email = Unique.Email();
        await Db.CreateUserAsync(new NewUser(email));
        using var capture = new TelemetryCapture();

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateUserAsync(new NewUser(email)));

        var span = Assert.Single(capture.Spans);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(DuplicateKeyException).FullName, span.GetTagItem("error.type"));
        var duration = Assert.Single(capture.Durations.GetMeasurementSnapshot(), m => Equals(m.Tags["db.operation.name"], "CreateUser"));
        Assert.Equal(typeof(DuplicateKeyException).FullName, duration.Tags["error.type"]);
    }

    [Fact]
    public async Task Operation_durations_are_recorded_in_seconds_with_the_span_attributes()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        using var capture = new TelemetryCapture();

        await Db.GetUserAsync(user.Id);

        var duration = Assert.Single(capture.Durations.GetMeasurementSnapshot(), m => Equals(m.Tags["db.operation.name"], "GetUser"));
        Assert.InRange(duration.Value, 0, 60);
        Assert.Equal(SystemName, duration.Tags["db.system.name"]);
        Assert.Equal("users", duration.Tags["db.collection.name"]);
        Assert.False(duration.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task Api_key_verifications_are_counted_by_outcome()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var valid = await db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("valid")));
        var revoked = await db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("revoked")));
        await db.RevokeApiKeyAsync(revoked.Key.Id);
        var expiring = await db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("expiring"), ExpiresAt: clock.GetUtcNow().AddHours(1)));
        clock.Advance(TimeSpan.FromHours(2));
        using var capture = new TelemetryCapture();

        Assert.NotNull(await db.VerifyApiKeyAsync(valid.Secret));
        Assert.Null(await db.VerifyApiKeyAsync(WellFormedUnknownKey));
        Assert.Null(await db.VerifyApiKeyAsync(revoked.Secret));
        Assert.Null(await db.VerifyApiKeyAsync(expiring.Secret));
        Assert.Null(await db.VerifyApiKeyAsync("not-a-key"));
        Assert.Null(await db.VerifyApiKeyAsync(valid.Secret[..^1] + (valid.Secret[^1] == 'a' ? 'b' : 'a')));

        var counts = capture.Verifications.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["db.system.name"], SystemName))
            .GroupBy(m => (string)m.Tags["gatewaystorage.outcome"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["valid"] = 1, ["unknown"] = 2, ["revoked"] = 1, ["expired"] = 1, ["malformed"] = 1 }, counts);
    }

    [Fact]
    public async Task Single_use_token_consumes_are_counted_by_outcome()
    {
        var purpose = Unique.Name("reset");
        var issued = await Db.IssueSingleUseTokenAsync(purpose, null, TimeSpan.FromMinutes(10));
        using var capture = new TelemetryCapture();

        Assert.NotNull(await Db.TryConsumeSingleUseTokenAsync(purpose, issued.Value));
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync(purpose, issued.Value));
        Assert.Null(await Db.TryConsumeSingleUseTokenAsync(purpose, "x"));

        var counts = capture.Consumes.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["db.system.name"], SystemName))
            .GroupBy(m => (string)m.Tags["gatewaystorage.outcome"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["consumed"] = 1, ["rejected"] = 1, ["malformed"] = 1 }, counts);
    }

    [Fact]
    public async Task No_secret_reaches_a_span_or_a_measurement()
    {
        using var capture = new TelemetryCapture();
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var key = await Db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("key")));
        await Db.VerifyApiKeyAsync(key.Secret);
        var purpose = Unique.Name("reset");
        var token = await Db.IssueSingleUseTokenAsync(purpose, user.Id, TimeSpan.FromMinutes(10));
        await Db.TryConsumeSingleUseTokenAsync(purpose, token.Value);
        var clientSecret = "client-secret-" + Unique.Suffix();
        await Db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            Unique.Name("idp"), "client-id", clientSecret, new Uri("https://idp.example.org/authorize"), new Uri("https://idp.example.org/token")));
        var credentialSecret = "credential-secret-" + Unique.Suffix();
        await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), credentialSecret));

        string[] secrets = [key.Secret, key.Secret[^52..], token.Value, clientSecret, credentialSecret];
        var values = capture.AllTagValues().ToList();
        Assert.NotEmpty(values);
        Assert.All(values, value => Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_secret_that_does_not_decrypt_is_counted_and_logged_by_its_row_and_key_id_only()
    {
        // A database of its own: the damaged row would break later lists of the shared one.
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var source = await db.CreateCredentialAsync(new NewCredential("source", "source-secret-" + Unique.Suffix()));
        var target = await db.CreateCredentialAsync(new NewCredential("target", "target-secret-" + Unique.Suffix()));
        await using (var connection = await fixture.OpenRawConnectionAsync(url))
        {
            // A ciphertext copied to another row: its associated data (table, row, column) no longer matches.
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE credentials SET secret = (SELECT secret FROM credentials WHERE username = 'source') WHERE username = 'target'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        using var capture = new TelemetryCapture();
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetCredentialAsync(target.Id));

        var failure = Assert.Single(capture.DecryptionFailures.GetMeasurementSnapshot(), m => Equals(m.Tags["db.system.name"], SystemName));
        Assert.Equal(1, failure.Value);
        Assert.Equal("credentials", failure.Tags["db.collection.name"]);
        var logged = Assert.Single(fixture.LogRecords.GetSnapshot(), r => r.Id.Id == 13 && r.Message.Contains(target.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal("SecretDecryptionFailed", logged.Id.Name);
        Assert.Contains(StorageFixture.TestKeyId, logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-", logged.Message, StringComparison.Ordinal);
        Assert.StartsWith("source-secret-", (await db.GetCredentialAsync(source.Id))!.Secret, StringComparison.Ordinal);
    }
}
