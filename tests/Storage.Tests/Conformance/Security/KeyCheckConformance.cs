using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Security;

/// <summary>
/// Start-up against the keys a database was written with: check values per key, a refusal that names the missing key
/// and the setting to fix, rotation, and rows under a retired key.
/// </summary>
public abstract class KeyCheckConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    /// <summary>One key as <c>AddGatewayStorage</c> copies it from <c>ENCRYPTION_KEY</c>.</summary>
    private static Action<GatewayStorageOptions> EnvironmentKey(string key) => options =>
    {
        options.EncryptionKeys.Clear();
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "env", Key = key, Source = GatewayStorageOptions.EncryptionKeyVariable });
    };

    private static async Task<OAuthProvider> ProviderAsync(IDatabaseProvider db, string clientSecret) =>
        await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            Unique.Name("idp"),
            ClientId: "client",
            ClientSecret: clientSecret,
            AuthorizationEndpoint: new Uri("https://idp.example.org/authorize"),
            TokenEndpoint: new Uri("https://idp.example.org/token")));

    /// <summary>A database written under <paramref name="key"/>: an OAuth provider, a credential and an API key.</summary>
    private async Task<(string Url, string ClientSecret, string ApiKey)> PopulatedAsync(Action<GatewayStorageOptions> keys)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, keys);
        await db.MigrateAsync();
        var clientSecret = fixture.NewSecret("client-secret");
        await ProviderAsync(db, clientSecret);
        await db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), fixture.NewSecret("password")));
        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var apiKey = (await db.CreateApiKeyAsync(new NewApiKey(user.Id, "ci"))).Secret;
        fixture.RegisterSecret(apiKey);
        return (url, clientSecret, apiKey);
    }

    [Fact]
    public async Task The_database_records_a_check_value_per_encryption_key_and_for_the_api_key_hash_key_never_the_key()
    {
        var key = fixture.NewKey();
        var (url, _, _) = await PopulatedAsync(TestKeys.Ring(key));

        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var rows = (await raw.QueryAsync<(string KeyId, string Purpose, byte[] Check)>(
            "SELECT key_id, purpose, check_value FROM key_checks ORDER BY purpose")).ToList();

        Assert.Equal(["api-key-hash", "encryption"], rows.Select(r => r.Purpose));
        Assert.Equal(StorageFixture.IdOf(key), rows[1].KeyId);
        Assert.All(rows, r => Assert.Matches("^fp-[0-9a-f]{16}$", r.KeyId));
        Assert.All(rows, r => Assert.Equal(32, r.Check.Length));
        Assert.All(rows, r => Assert.NotEqual(Convert.FromBase64String(key), r.Check));
    }

    [Fact]
    public async Task A_start_with_the_right_key_reads_the_secrets_and_verifies_the_api_keys()
    {
        var key = fixture.NewKey();
        var (url, clientSecret, apiKey) = await PopulatedAsync(TestKeys.Ring(key));

        await using var again = fixture.CreateProvider(url, EnvironmentKey(key));
        await again.MigrateAsync();

        Assert.Equal(clientSecret, Assert.Single((await again.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items).ClientSecret);
        Assert.NotNull(await again.VerifyApiKeyAsync(apiKey));
    }

    [Fact]
    public async Task A_start_with_a_wrong_ENCRYPTION_KEY_against_a_populated_database_is_refused_naming_the_key_and_the_setting()
    {
        var key = fixture.NewKey();
        var wrong = fixture.NewKey();
        var (url, clientSecret, apiKey) = await PopulatedAsync(TestKeys.Ring(key));

        await using var db = fixture.CreateProvider(url, EnvironmentKey(wrong));
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.MigrateAsync());
        var onUse = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.ListOAuthProvidersAsync(enabledOnly: false, PageRequest.First));

        Assert.Contains(StorageFixture.IdOf(key), error.Message, StringComparison.Ordinal);
        Assert.Contains("Set ENCRYPTION_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing or wrong", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, onUse.Message);
        foreach (var secret in new[] { key, wrong, clientSecret, apiKey })
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_start_with_a_wrong_key_is_refused_even_before_the_first_secret_is_stored()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using (var first = fixture.CreateProvider(url, TestKeys.Ring(fixture.NewKey())))
        {
            await first.MigrateAsync();
        }

        await using var second = fixture.CreateProvider(url, TestKeys.Ring(fixture.NewKey()));
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => second.MigrateAsync());

        Assert.Contains("GatewayStorage:EncryptionKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_appended_to_the_ring_still_starts_reads_old_values_and_is_recorded()
    {
        var old = fixture.NewKey();
        var added = fixture.NewKey();
        var (url, clientSecret, apiKey) = await PopulatedAsync(TestKeys.Ring(old));

        await using var rotated = fixture.CreateProvider(url, TestKeys.Ring(old, added));
        await rotated.MigrateAsync();

        Assert.Equal(clientSecret, Assert.Single((await rotated.ListOAuthProvidersAsync(enabledOnly: false, new PageRequest(PageRequest.MaxLimit))).Items).ClientSecret);
        Assert.NotNull(await rotated.VerifyApiKeyAsync(apiKey));
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var recorded = (await raw.QueryAsync<string>("SELECT key_id FROM key_checks WHERE purpose = 'encryption'")).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { StorageFixture.IdOf(old), StorageFixture.IdOf(added) }.Order(StringComparer.Ordinal), recorded);
    }

    [Fact]
    public async Task A_row_under_a_retired_key_fails_the_list_with_an_error_naming_the_row_column_and_key_but_no_secret()
    {
        var old = fixture.NewKey();
        var current = fixture.NewKey();
        var url = await fixture.CreateDatabaseAsync();
        await using var before = fixture.CreateProvider(url, TestKeys.Ring(old));
        await before.MigrateAsync();
        var oldSecret = fixture.NewSecret("old-client-secret");
        var stale = await ProviderAsync(before, oldSecret);

        var staleCredential = await before.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), fixture.NewSecret("old-password")));

        await using var rotated = fixture.CreateProvider(url, TestKeys.Ring(old, current));
        var fresh = await ProviderAsync(rotated, fixture.NewSecret("new-client-secret"));

        // The old key is retired while one row is still under it: start succeeds, the row names itself on read.
        await using var retired = fixture.CreateProvider(url, TestKeys.Ring(current));
        await retired.MigrateAsync();
        Assert.Contains(fixture.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("no longer configured", StringComparison.Ordinal) && line.Contains(StorageFixture.IdOf(old), StringComparison.Ordinal));
        Assert.NotNull(await retired.GetOAuthProviderAsync(fresh.Name));
        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => retired.ListOAuthProvidersAsync(enabledOnly: false, PageRequest.First));

        Assert.Equal(StorageFixture.IdOf(old), error.KeyId);
        Assert.Contains("OAuth provider", error.Message, StringComparison.Ordinal);
        Assert.Contains(stale.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("client_secret", error.Message, StringComparison.Ordinal);
        Assert.Contains(StorageFixture.IdOf(old), error.Message, StringComparison.Ordinal);
        foreach (var secret in new[] { old, current, oldSecret })
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }

        var credentialError = await Assert.ThrowsAsync<SecretDecryptionException>(() => retired.ListCredentialsAsync(PageRequest.First));
        Assert.Equal(StorageFixture.IdOf(old), credentialError.KeyId);
        Assert.Contains($"credential {staleCredential.Id}", credentialError.Message, StringComparison.Ordinal);
        Assert.Contains("credentials.secret", credentialError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_provider_while_writes_run_fails_them_typed_and_every_stored_secret_decrypts_under_the_real_key()
    {
        var key = fixture.NewKey();
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, TestKeys.Ring(key));
        await db.MigrateAsync();
        var written = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    await db.CreateCredentialAsync(new NewCredential($"svc-{w}-{i}", $"pw-{w}-{i}"));
                    Interlocked.Increment(ref written);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or StorageException)
                {
                    return i;
                }
            }
        })).ToList();

        // Disposed while the writers are at it: once a few writes went through (polled, with a deadline), not after a sleep.
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref written) < 8 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Yield();
        }

        await db.DisposeAsync();
        await Task.WhenAll(writers);

        await using var reader = fixture.CreateProvider(url, TestKeys.Ring(key));
        var stored = 0;
        var page = await reader.ListCredentialsAsync(new PageRequest(PageRequest.MaxLimit));
        while (true)
        {
            Assert.All(page.Items, c => Assert.Equal("pw-" + c.Username["svc-".Length..], c.Secret));
            stored += page.Items.Count;
            if (page.NextCursor is null)
            {
                break;
            }

            page = await reader.ListCredentialsAsync(new PageRequest(PageRequest.MaxLimit, page.NextCursor));
        }

        Assert.True(stored > 0);
    }

    [Fact]
    public async Task A_changed_api_key_hash_key_is_refused_while_api_keys_exist()
    {
        var key = fixture.NewKey();
        var hashKey = fixture.NewKey();
        var otherHashKey = fixture.NewKey();
        var (url, _, apiKey) = await PopulatedAsync(o =>
        {
            TestKeys.Ring(key)(o);
            o.ApiKeyHashKey = hashKey;
        });

        await using var changed = fixture.CreateProvider(url, o =>
        {
            TestKeys.Ring(key)(o);
            o.ApiKeyHashKey = otherHashKey;
        });
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => changed.MigrateAsync());

        Assert.Contains("GatewayStorage:ApiKeyHashKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hashKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(otherHashKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_api_key_hash_key_starts_when_no_api_key_exists()
    {
        var key = fixture.NewKey();
        var url = await fixture.CreateDatabaseAsync();
        await using (var first = fixture.CreateProvider(url, o =>
        {
            TestKeys.Ring(key)(o);
            o.ApiKeyHashKey = fixture.NewKey();
        }))
        {
            await first.MigrateAsync();
        }

        await using var second = fixture.CreateProvider(url, o =>
        {
            TestKeys.Ring(key)(o);
            o.ApiKeyHashKey = fixture.NewKey();
        });
        await second.MigrateAsync();

        await using var raw = await fixture.OpenRawConnectionAsync(url);
        Assert.Equal(1L, await raw.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM key_checks WHERE purpose = 'api-key-hash'"));
    }

    [Fact]
    public async Task A_check_value_that_does_not_match_its_key_is_refused()
    {
        var key = fixture.NewKey();
        var (url, _, _) = await PopulatedAsync(TestKeys.Ring(key));
        await using (var raw = await fixture.OpenRawConnectionAsync(url))
        {
            await raw.ExecuteAsync("UPDATE key_checks SET check_value = @check WHERE purpose = 'encryption'", new { check = new byte[32] });
        }

        await using var db = fixture.CreateProvider(url, TestKeys.Ring(key));
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => db.MigrateAsync());

        Assert.Contains("check value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_without_check_values_yet_is_probed_and_a_wrong_key_is_refused()
    {
        var key = fixture.NewKey();
        var (url, _, _) = await PopulatedAsync(TestKeys.Ring(key));
        await using (var raw = await fixture.OpenRawConnectionAsync(url))
        {
            // As a database migrated to schema 3 before it ever started with key checks.
            await raw.ExecuteAsync("DELETE FROM key_checks");
        }

        await using var wrong = fixture.CreateProvider(url, TestKeys.Ring(fixture.NewKey()));
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => wrong.MigrateAsync());
        Assert.Contains(StorageFixture.IdOf(key), error.Message, StringComparison.Ordinal);

        await using var right = fixture.CreateProvider(url, TestKeys.Ring(key));
        await right.MigrateAsync();
    }
}
