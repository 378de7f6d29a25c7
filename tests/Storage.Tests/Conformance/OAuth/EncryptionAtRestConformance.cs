using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.OAuth;

/// <summary>What the OAuth stores leave in their tables: ciphertexts bound to their row and column, under a rotatable key.</summary>
public abstract class EncryptionAtRestConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private IDatabaseProvider Db => fixture.Provider;

    private string Secret(string kind)
    {
        var secret = $"{kind}-{Guid.NewGuid():N}";
        fixture.RegisterSecret(secret);
        return secret;
    }

    private string NewKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        fixture.RegisterSecret(key);
        return key;
    }

    private static Action<GatewayStorageOptions> Keys(params (string Id, string Key)[] keys) => options =>
    {
        options.EncryptionKeys.Clear();
        foreach (var (id, key) in keys)
        {
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = id, Key = key });
        }
    };

    private async Task<IDatabaseProvider> MigratedAsync(string url)
    {
        var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        return db;
    }

    private async Task<string> ProviderAsync(IDatabaseProvider db, string? clientSecret = null)
    {
        var name = Unique.Name("idp");
        await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            name,
            ClientId: "client",
            ClientSecret: clientSecret ?? Secret("client-secret"),
            AuthorizationEndpoint: new Uri("https://idp.example.org/authorize"),
            TokenEndpoint: new Uri("https://idp.example.org/token")));
        return name;
    }

    private static async Task<Guid> UserAsync(IDatabaseProvider db) => (await db.CreateUserAsync(new NewUser(Unique.Email()))).Id;

    /// <summary>Every row of a table, every column as text (bytes decoded as UTF-8), keyed by column name.</summary>
    private async Task<List<Dictionary<string, string?>>> RawRowsAsync(string url, string table)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await using var command = raw.CreateCommand();
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i)
                    ? null
                    : reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                        var value => value.ToString(),
                    };
            }

            rows.Add(row);
        }

        return rows;
    }

    private async Task<string?> RawValueAsync(string url, string sql, object parameters)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        return await raw.QuerySingleOrDefaultAsync<string?>(sql, parameters);
    }

    private async Task<int> RawExecuteAsync(string url, string sql, object parameters)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        return await raw.ExecuteAsync(sql, parameters);
    }

    private static async Task<Guid> TokenIdAsync(IDatabaseProvider db, Guid user, string provider) =>
        (await db.GetOAuthTokenAsync(user, provider))!.Id;

    [Fact]
    public async Task The_raw_tables_hold_no_plaintext_secret_or_token_only_values_under_the_current_key()
    {
        var clientSecret = Secret("client-secret");
        var provider = await ProviderAsync(Db, clientSecret);
        var twin = await ProviderAsync(Db, clientSecret);
        var user = await UserAsync(Db);
        var access = Secret("access");
        var refresh = Secret("refresh");
        var accessOnly = Secret("access-only");
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, access, refresh, Scopes: ["openid"]));
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, twin, accessOnly));
        string[] plaintexts = [clientSecret, access, refresh, accessOnly];

        var providers = await RawRowsAsync(fixture.Url, "oauth_providers");
        var tokens = await RawRowsAsync(fixture.Url, "oauth_tokens");

        foreach (var value in providers.Concat(tokens).SelectMany(row => row.Values).OfType<string>())
        {
            foreach (var plaintext in plaintexts)
            {
                Assert.DoesNotContain(plaintext, value, StringComparison.Ordinal);
            }
        }

        Assert.All(providers, row => Assert.StartsWith($"v1:{StorageFixture.TestKeyId}:", row["client_secret"], StringComparison.Ordinal));
        Assert.All(tokens, row => Assert.StartsWith($"v1:{StorageFixture.TestKeyId}:", row["access_token"], StringComparison.Ordinal));
        Assert.All(tokens.Where(row => row["refresh_token"] is not null), row => Assert.StartsWith($"v1:{StorageFixture.TestKeyId}:", row["refresh_token"], StringComparison.Ordinal));

        // The same secret is stored twice as two different ciphertexts (a fresh nonce, another row).
        var stored = providers.Where(row => row["name"] == provider || row["name"] == twin).Select(row => row["client_secret"]).ToList();
        Assert.Equal(2, stored.Count);
        Assert.NotEqual(stored[0], stored[1]);

        var mine = tokens.Where(row => string.Equals(row["user_id"], user.ToString(), StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Single(mine, row => row["refresh_token"] is null);
        Assert.Equal(access, (await Db.GetOAuthTokenAsync(user, provider))!.AccessToken);
    }

    [Fact]
    public async Task An_access_token_copied_from_another_row_fails_to_decrypt()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = await MigratedAsync(url);
        var provider = await ProviderAsync(db);
        var victim = await UserAsync(db);
        var attacker = await UserAsync(db);
        var victimAccess = Secret("victim-access");
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(victim, provider, victimAccess));
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(attacker, provider, Secret("attacker-access")));
        var source = await TokenIdAsync(db, victim, provider);
        var target = await TokenIdAsync(db, attacker, provider);

        Assert.Equal(1, await RawExecuteAsync(url,
            "UPDATE oauth_tokens SET access_token = (SELECT s.access_token FROM oauth_tokens s WHERE CAST(s.id AS TEXT) = @source) " +
            "WHERE CAST(id AS TEXT) = @target",
            new { source = source.ToString(), target = target.ToString() }));

        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetOAuthTokenAsync(attacker, provider));
        Assert.Equal(StorageFixture.TestKeyId, error.KeyId);
        Assert.DoesNotContain(victimAccess, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.ListOAuthTokensAsync(attacker));
        Assert.Equal(victimAccess, (await db.GetOAuthTokenAsync(victim, provider))!.AccessToken);
    }

    [Fact]
    public async Task An_access_token_copied_into_the_refresh_token_of_the_same_row_fails_to_decrypt()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = await MigratedAsync(url);
        var provider = await ProviderAsync(db);
        var user = await UserAsync(db);
        var access = Secret("access");
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, access, Secret("refresh")));
        var id = await TokenIdAsync(db, user, provider);

        Assert.Equal(1, await RawExecuteAsync(url, "UPDATE oauth_tokens SET refresh_token = access_token WHERE CAST(id AS TEXT) = @id", new { id = id.ToString() }));

        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetOAuthTokenAsync(user, provider));
        Assert.Equal(StorageFixture.TestKeyId, error.KeyId);
        Assert.DoesNotContain(access, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_secret_copied_to_another_provider_or_into_a_token_fails_to_decrypt()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = await MigratedAsync(url);
        var clientSecret = Secret("client-secret");
        var source = await ProviderAsync(db, clientSecret);
        var target = await ProviderAsync(db);
        var user = await UserAsync(db);
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, source, Secret("access")));

        Assert.Equal(1, await RawExecuteAsync(url,
            "UPDATE oauth_providers SET client_secret = (SELECT s.client_secret FROM oauth_providers s WHERE s.name = @source) WHERE name = @target",
            new { source, target }));
        Assert.Equal(1, await RawExecuteAsync(url,
            "UPDATE oauth_tokens SET access_token = (SELECT p.client_secret FROM oauth_providers p WHERE p.name = @source)",
            new { source }));

        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetOAuthProviderAsync(target));
        Assert.DoesNotContain(clientSecret, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.ListOAuthProvidersAsync(enabledOnly: false, PageRequest.First));
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetOAuthTokenAsync(user, source));
        Assert.Equal(clientSecret, (await db.GetOAuthProviderAsync(source))!.ClientSecret);
    }

    [Fact]
    public async Task A_value_altered_in_the_table_fails_to_decrypt()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = await MigratedAsync(url);
        var provider = await ProviderAsync(db);
        var user = await UserAsync(db);
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user, provider, Secret("access")));
        var id = await TokenIdAsync(db, user, provider);
        var stored = await RawValueAsync(url, "SELECT access_token FROM oauth_tokens WHERE CAST(id AS TEXT) = @id", new { id = id.ToString() });
        var flipped = stored![..^1] + (stored[^1] == 'A' ? 'B' : 'A');

        await RawExecuteAsync(url, "UPDATE oauth_tokens SET access_token = @flipped WHERE CAST(id AS TEXT) = @id", new { flipped, id = id.ToString() });

        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetOAuthTokenAsync(user, provider));
    }

    [Fact]
    public async Task Keys_rotate_by_appending_a_new_key_and_a_value_under_a_removed_key_names_that_key()
    {
        var url = await fixture.CreateDatabaseAsync();
        var k1 = NewKey();
        var k2 = NewKey();
        var clientSecret = Secret("client-secret");
        var oldAccess = Secret("old-access");
        var oldRefresh = Secret("old-refresh");
        var newAccess = Secret("new-access");
        const string TokensOfUser = "SELECT access_token FROM oauth_tokens WHERE CAST(user_id AS TEXT) = @user";

        await using var a = fixture.CreateProvider(url, Keys(("k1", k1)));
        await a.MigrateAsync();
        var provider = await ProviderAsync(a, clientSecret);
        var oldUser = await UserAsync(a);
        await a.UpsertOAuthTokenAsync(new OAuthTokenGrant(oldUser, provider, oldAccess, oldRefresh));

        // B knows both keys and encrypts with the last one.
        await using var b = fixture.CreateProvider(url, Keys(("k1", k1), ("k2", k2)));
        var read = await b.GetOAuthTokenAsync(oldUser, provider);
        Assert.Equal(oldAccess, read!.AccessToken);
        Assert.Equal(oldRefresh, read.RefreshToken);
        Assert.Equal(clientSecret, (await b.GetOAuthProviderAsync(provider))!.ClientSecret);
        var newUser = await UserAsync(b);
        await b.UpsertOAuthTokenAsync(new OAuthTokenGrant(newUser, provider, newAccess));

        Assert.StartsWith($"v1:{StorageFixture.IdOf(k2)}:", await RawValueAsync(url, TokensOfUser, new { user = newUser.ToString() }), StringComparison.Ordinal);
        Assert.StartsWith($"v1:{StorageFixture.IdOf(k1)}:", await RawValueAsync(url, TokensOfUser, new { user = oldUser.ToString() }), StringComparison.Ordinal);
        Assert.StartsWith($"v1:{StorageFixture.IdOf(k1)}:", await RawValueAsync(url, "SELECT client_secret FROM oauth_providers WHERE name = @provider", new { provider }), StringComparison.Ordinal);

        // C has only the new key: the new row reads, the old one names the key it needs and nothing else.
        await using var c = fixture.CreateProvider(url, Keys(("k2", k2)));
        Assert.Equal(newAccess, (await c.GetOAuthTokenAsync(newUser, provider))!.AccessToken);
        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => c.GetOAuthTokenAsync(oldUser, provider));
        Assert.Equal(StorageFixture.IdOf(k1), error.KeyId);
        Assert.Contains(StorageFixture.IdOf(k1), error.Message, StringComparison.Ordinal);
        foreach (var secret in new[] { oldAccess, oldRefresh, clientSecret, newAccess, k1, k2 })
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
        }

        var providerError = await Assert.ThrowsAsync<SecretDecryptionException>(() => c.GetOAuthProviderAsync(provider));
        Assert.Equal(StorageFixture.IdOf(k1), providerError.KeyId);

        // A, with only the old key, cannot read what B wrote under the new one.
        Assert.Equal(StorageFixture.IdOf(k2), (await Assert.ThrowsAsync<SecretDecryptionException>(() => a.GetOAuthTokenAsync(newUser, provider))).KeyId);

        // Re-writing the old row through B moves it to the new key; C can read it then.
        await b.UpsertOAuthTokenAsync(new OAuthTokenGrant(oldUser, provider, oldAccess, oldRefresh));
        Assert.StartsWith($"v1:{StorageFixture.IdOf(k2)}:", await RawValueAsync(url, TokensOfUser, new { user = oldUser.ToString() }), StringComparison.Ordinal);
        Assert.Equal(oldRefresh, (await c.GetOAuthTokenAsync(oldUser, provider))!.RefreshToken);
    }
}
