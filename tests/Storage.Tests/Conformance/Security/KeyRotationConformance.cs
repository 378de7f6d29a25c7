using System.Security.Cryptography;
using Dapper;
using GatewayStorage.Security;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Security;

/// <summary>
/// <see cref="EncryptionKeyRotator"/>: every encrypted column re-encrypted under the newest key, in batches, resumable,
/// without losing a concurrent write, and readable afterwards with the newest key alone.
/// </summary>
public abstract class KeyRotationConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private static readonly string[] EncryptedColumns =
        ["oauth_providers.client_secret", "oauth_tokens.access_token", "oauth_tokens.refresh_token", "credentials.secret"];

    /// <summary>A database written under <paramref name="oldKey"/>: providers, tokens (with and without refresh token), credentials.</summary>
    private async Task<(string Url, Dictionary<string, string> Secrets, Guid UserId)> PopulatedAsync(string oldKey, int credentials)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, TestKeys.Ring(oldKey));
        await db.MigrateAsync();
        var secrets = new Dictionary<string, string>();
        var user = await db.CreateUserAsync(new NewUser(Unique.Email("rotate")));
        for (var i = 0; i < 3; i++)
        {
            var name = $"idp{i}";
            secrets[name] = fixture.NewSecret("client-secret");
            await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
                name, "client", secrets[name], new Uri("https://idp.example.org/authorize"), new Uri("https://idp.example.org/token")));
            secrets[$"access:{name}"] = fixture.NewSecret("access");
            secrets[$"refresh:{name}"] = i == 0 ? "" : fixture.NewSecret("refresh");
            await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, name, secrets[$"access:{name}"], i == 0 ? null : secrets[$"refresh:{name}"]));
        }

        for (var i = 0; i < credentials; i++)
        {
            var created = await db.CreateCredentialAsync(new NewCredential($"user{i}", fixture.NewSecret("credential")));
            secrets[$"credential:{created.Id}"] = created.Secret;
        }

        return (url, secrets, user.Id);
    }

    private async Task<List<string>> StoredKeyIdsAsync(string url)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var ids = new List<string>();
        foreach (var column in EncryptedColumns)
        {
            var (table, name) = (column.Split('.')[0], column.Split('.')[1]);
            var values = await raw.QueryAsync<string>($"SELECT {name} FROM {table} WHERE {name} IS NOT NULL");
            ids.AddRange(values.Select(v => v.Split(':')[1]));
        }

        return ids;
    }

    private static async Task AssertReadsBackAsync(IDatabaseProvider db, Dictionary<string, string> secrets, Guid userId)
    {
        foreach (var (name, secret) in secrets)
        {
            if (name.StartsWith("credential:", StringComparison.Ordinal))
            {
                Assert.Equal(secret, (await db.GetCredentialAsync(Guid.Parse(name["credential:".Length..])))!.Secret);
            }
            else if (name.StartsWith("access:", StringComparison.Ordinal))
            {
                var provider = name["access:".Length..];
                var token = await db.GetOAuthTokenAsync(userId, provider);
                Assert.Equal(secret, token!.AccessToken);
                Assert.Equal(secrets[$"refresh:{provider}"], token.RefreshToken ?? "");
            }
            else if (!name.StartsWith("refresh:", StringComparison.Ordinal))
            {
                Assert.Equal(secret, (await db.GetOAuthProviderAsync(name))!.ClientSecret);
            }
        }
    }

    [Fact]
    public async Task RotateAsync_re_encrypts_every_value_under_the_newest_key_in_batches_so_the_old_key_can_be_retired()
    {
        var (oldKey, newKey) = (fixture.NewKey(), fixture.NewKey());
        var (url, secrets, userId) = await PopulatedAsync(oldKey, credentials: 5);
        await using var both = fixture.CreateProvider(url, TestKeys.Ring(oldKey, newKey));
        var reported = new List<KeyRotationProgress>();
        var progress = new SyncProgress<KeyRotationProgress>(reported.Add);

        var report = await EncryptionKeyRotator.RotateAsync(both, batchSize: 2, progress);

        Assert.Equal(StorageFixture.IdOf(newKey), report.KeyId);
        Assert.Equal(
            ["oauth_providers:3", "oauth_tokens:5", "credentials:5"],
            report.Tables.Select(t => $"{t.Table}:{t.Rotated}"));
        Assert.Equal(0, report.Changed);
        Assert.All(await StoredKeyIdsAsync(url), id => Assert.Equal(StorageFixture.IdOf(newKey), id));
        Assert.Equal(3, reported.Count(p => p.Completed));
        Assert.Equal(5, reported.Last(p => p.Table == "credentials").Rows);

        await using var onlyNew = fixture.CreateProvider(url, TestKeys.Ring(newKey));
        await AssertReadsBackAsync(onlyNew, secrets, userId);
    }

    [Fact]
    public async Task RotateAsync_skips_values_already_under_the_newest_key_so_a_second_run_rotates_nothing()
    {
        var (oldKey, newKey) = (fixture.NewKey(), fixture.NewKey());
        var (url, secrets, userId) = await PopulatedAsync(oldKey, credentials: 3);
        await using var both = fixture.CreateProvider(url, TestKeys.Ring(oldKey, newKey));
        var added = await both.CreateCredentialAsync(new NewCredential("written-under-new", fixture.NewSecret("credential")));
        secrets[$"credential:{added.Id}"] = added.Secret;

        var first = await EncryptionKeyRotator.RotateAsync(both);
        var second = await EncryptionKeyRotator.RotateAsync(both);

        Assert.Equal(3, first.Tables.Single(t => t.Table == "credentials").Rotated);
        Assert.Equal(0, second.Rotated);
        await AssertReadsBackAsync(both, secrets, userId);
    }

    [Fact]
    public async Task A_batch_leaves_a_value_that_a_concurrent_write_replaced_after_the_batch_was_read()
    {
        var (oldKey, newKey) = (fixture.NewKey(), fixture.NewKey());
        var (url, _, _) = await PopulatedAsync(oldKey, credentials: 3);
        await using var rotator = fixture.CreateProvider(url, TestKeys.Ring(oldKey, newKey));
        await using var writer = fixture.CreateProvider(url, TestKeys.Ring(oldKey));
        var context = ((GatewayStorage.Relational.RelationalDatabaseProvider)rotator).Context;
        var column = GatewayStorage.Relational.KeyRotation.Columns.Single(c => c.Table == "credentials");
        var prefix = $"v1:{StorageFixture.IdOf(newKey)}:";
        var batch = await GatewayStorage.Relational.KeyRotation.ReadBatchAsync(context, column, prefix, after: null, batchSize: 10, CancellationToken.None);
        Assert.Equal(3, batch.Count);

        // Between the rotation's read and its write, another process writes a new secret (under its own, older key).
        var updated = await writer.UpdateCredentialAsync((await writer.GetCredentialAsync(batch[1].Id))! with { Secret = fixture.NewSecret("updated") });
        var stale = batch.ConvertAll(row => (row.Id, row.Stored, Rotated: $"{prefix}rotated-{row.Id}"));
        var written = await GatewayStorage.Relational.KeyRotation.WriteBatchAsync(context, column, stale, CancellationToken.None);

        Assert.Equal(2, written);
        Assert.Equal(updated.Secret, (await writer.GetCredentialAsync(updated.Id))!.Secret);
        var report = await EncryptionKeyRotator.RotateAsync(rotator);
        Assert.Equal(1, report.Tables.Single(t => t.Table == "credentials").Rotated);
        await using var onlyNew = fixture.CreateProvider(url, TestKeys.Ring(newKey));
        Assert.Equal(updated.Secret, (await onlyNew.GetCredentialAsync(updated.Id))!.Secret);
    }

    [Fact]
    public async Task RotateAsync_names_the_row_and_key_of_a_value_it_cannot_read_and_a_run_with_that_key_finishes()
    {
        var (oldKey, newKey) = (fixture.NewKey(), fixture.NewKey());
        var (url, secrets, userId) = await PopulatedAsync(oldKey, credentials: 2);
        await using var both = fixture.CreateProvider(url, TestKeys.Ring(oldKey, newKey));
        await both.InitializeAsync();

        // The new key is recorded now, so a ring without the old one starts, as after retiring it too early.
        await using var withoutOld = fixture.CreateProvider(url, TestKeys.Ring(newKey));

        var refused = await Assert.ThrowsAsync<SecretDecryptionException>(() => EncryptionKeyRotator.RotateAsync(withoutOld));

        Assert.Equal(StorageFixture.IdOf(oldKey), refused.KeyId);
        Assert.Contains("oauth_providers.client_secret", refused.Message, StringComparison.Ordinal);
        Assert.Equal(10, (await EncryptionKeyRotator.RotateAsync(both)).Rotated);
        await AssertReadsBackAsync(both, secrets, userId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(EncryptionKeyRotator.MaxBatchSize + 1)]
    public async Task RotateAsync_rejects_a_bad_batch_size_before_any_io(int batchSize)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EncryptionKeyRotator.RotateAsync(fixture.Provider, batchSize));
    }
}
