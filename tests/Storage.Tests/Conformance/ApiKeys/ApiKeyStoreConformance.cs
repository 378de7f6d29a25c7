using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.ApiKeys;

public abstract partial class ApiKeyStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const int SecretLength = 52;

    // A well-formed key (prefix, 12-character public id, 52-character secret) that no store issued.
    private const string WellFormedUnknownKey = "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static readonly string[] NoScopes = [];

    private static readonly DateTimeOffset T0 = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private IDatabaseProvider Db => fixture.Provider;

    [GeneratedRegex("^gsk_([a-z2-7]{12})_([a-z2-7]{52})$")]
    private static partial Regex DefaultKeyShape();

    [GeneratedRegex("^acme_([a-z2-7]{12})_([a-z2-7]{52})$")]
    private static partial Regex AcmeKeyShape();

    // ---- create ----

    [Fact]
    public async Task CreateApiKeyAsync_returns_the_stored_key_and_its_full_secret()
    {
        var user = await NewUserAsync();
        var name = Unique.Name("ci");

        var created = await CreateAsync(Db, new NewApiKey(user.Id, name, Scopes: ["tools.call", "admin", "tools.call"]));

        var key = created.Key;
        Assert.Equal(7, key.Id.Version);
        Assert.Equal(user.Id, key.UserId);
        Assert.Equal(name, key.Name);
        Assert.Equal(["admin", "tools.call"], key.Scopes);
        Assert.Equal(TimeSpan.Zero, key.CreatedAt.Offset);
        Assert.Null(key.ExpiresAt);
        Assert.Null(key.LastUsedAt);
        Assert.Null(key.RevokedAt);
        Assert.False(key.IsRevoked);
        var match = DefaultKeyShape().Match(created.Secret);
        Assert.True(match.Success);
        Assert.Equal(key.PublicId, match.Groups[1].Value);
        AssertSameKey(key, await Db.GetApiKeyAsync(key.Id));
    }

    [Fact]
    public async Task CreateApiKeyAsync_stores_only_a_32_byte_hash_of_the_secret()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("stored"), Scopes: ["read"]));
        var secretPart = created.Secret[^SecretLength..];

        await using var raw = await fixture.OpenRawConnectionAsync(fixture.Url);
        var row = (IDictionary<string, object?>)await raw.QuerySingleAsync(
            "SELECT * FROM api_keys WHERE public_id = @publicId", new { publicId = created.Key.PublicId });

        var hash = Assert.IsType<byte[]>(row["secret_hash"]);
        Assert.Equal(32, hash.Length);
        Assert.NotEqual(Encoding.UTF8.GetBytes(secretPart).AsSpan(0, 32).ToArray(), hash);
        foreach (var (column, value) in row)
        {
            var text = value switch
            {
                string s => s,
                byte[] b => Encoding.UTF8.GetString(b),
                null => "",
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            Assert.False(text.Contains(secretPart, StringComparison.Ordinal), $"Column {column} holds the secret.");
            Assert.False(text.Contains(created.Secret, StringComparison.Ordinal), $"Column {column} holds the full key.");
        }

        // Only create shows the secret: what the store gives back later has no trace of it.
        var stored = await Db.GetApiKeyAsync(created.Key.Id);
        Assert.DoesNotContain(secretPart, stored!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secretPart, string.Concat((await Db.ListApiKeysAsync(user.Id)).Select(k => k.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApiKeyAsync_issues_a_different_public_id_and_secret_every_time()
    {
        var user = await NewUserAsync();

        var first = await CreateAsync(Db, new NewApiKey(user.Id, "same name"));
        var second = await CreateAsync(Db, new NewApiKey(user.Id, "same name"));

        Assert.NotEqual(first.Key.PublicId, second.Key.PublicId);
        Assert.NotEqual(first.Secret[^SecretLength..], second.Secret[^SecretLength..]);
        Assert.Equal(first.Key.Id, (await Db.VerifyApiKeyAsync(first.Secret))?.Id);
        Assert.Equal(second.Key.Id, (await Db.VerifyApiKeyAsync(second.Secret))?.Id);
    }

    [Fact]
    public async Task CreateApiKeyAsync_uses_the_configured_prefix()
    {
        await using var acme = fixture.CreateProvider(fixture.Url, o => o.ApiKeyPrefix = "acme");
        var user = await NewUserAsync();

        var created = await CreateAsync(acme, new NewApiKey(user.Id, Unique.Name("acme")));

        var match = AcmeKeyShape().Match(created.Secret);
        Assert.True(match.Success);
        Assert.Equal(created.Key.PublicId, match.Groups[1].Value);
        Assert.Equal(created.Key.Id, (await acme.VerifyApiKeyAsync(created.Secret))?.Id);

        // A provider that issues "gsk" keys does not accept the same key under another prefix.
        Assert.Null(await Db.VerifyApiKeyAsync(created.Secret));
    }

    [Fact]
    public async Task CreateApiKeyAsync_normalises_the_expiry_to_utc_microseconds()
    {
        var user = await NewUserAsync();
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToOffset(TimeSpan.FromHours(-7)).AddTicks(7);

        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("exp"), expiresAt));

        var expected = new DateTimeOffset(expiresAt.UtcTicks - (expiresAt.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
        Assert.Equal(expected, created.Key.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, created.Key.ExpiresAt!.Value.Offset);
        Assert.Equal(expected.UtcTicks, (await Db.GetApiKeyAsync(created.Key.Id))!.ExpiresAt!.Value.UtcTicks);
    }

    [Fact]
    public async Task CreateApiKeyAsync_accepts_the_scope_limits()
    {
        var user = await NewUserAsync();
        var scopes = Enumerable.Range(0, 100).Select(i => $"scope.{i:D3}").ToList();
        scopes.Add(new string('s', 200));

        // 101 entries, 100 distinct: the limit counts distinct scopes.
        var created = await CreateAsync(Db, new NewApiKey(user.Id, new string('n', 100), Scopes: [.. scopes.Skip(1), scopes[1]]));

        Assert.Equal(100, created.Key.Scopes.Count);
        Assert.Equal(created.Key.Scopes.Order(StringComparer.Ordinal), created.Key.Scopes);
        Assert.Equal(created.Key.Scopes, (await Db.GetApiKeyAsync(created.Key.Id))!.Scopes);
    }

    [Fact]
    public async Task CreateApiKeyAsync_keeps_scopes_distinct_in_ordinal_order_and_case_sensitive()
    {
        var user = await NewUserAsync();

        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("scopes"), Scopes: ["b", "B", "a:read", "b", "Z/x"]));

        string[] expected = ["B", "Z/x", "a:read", "b"];
        Assert.Equal(expected, created.Key.Scopes);
        Assert.Equal(expected, (await Db.GetApiKeyAsync(created.Key.Id))!.Scopes);
        Assert.Equal(expected, (await Db.VerifyApiKeyAsync(created.Secret))!.Scopes);
    }

    [Fact]
    public async Task CreateApiKeyAsync_without_scopes_stores_an_empty_set()
    {
        var user = await NewUserAsync();

        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("none"), Scopes: []));
        var defaulted = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("null")));

        Assert.Empty(created.Key.Scopes);
        Assert.Empty((await Db.GetApiKeyAsync(created.Key.Id))!.Scopes);
        Assert.Empty((await Db.GetApiKeyAsync(defaulted.Key.Id))!.Scopes);
    }

    [Fact]
    public async Task CreateApiKeyAsync_for_a_missing_user_throws_entity_not_found_and_writes_nothing()
    {
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.CreateApiKeyAsync(new NewApiKey(missing, "orphan")));

        Assert.Equal("User", error.Entity);
        Assert.Equal(missing.ToString(), error.Id);
        Assert.Equal(0L, await CountAsync($"SELECT COUNT(*) FROM api_keys WHERE user_id = '{missing:D}'"));
    }

    [Fact]
    public async Task CreatedApiKey_ToString_does_not_show_the_secret()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("print")));

        var text = created.ToString();

        Assert.DoesNotContain(created.Secret[^SecretLength..], text, StringComparison.Ordinal);
        Assert.Contains(created.Key.PublicId, text, StringComparison.Ordinal);
    }

    public static TheoryData<string?> BadNames() => new()
    {
        null,
        "",
        "   ",
        new string('n', 101),
        "a\0b",
        "line\nbreak",
        " leading",
        "trailing ",
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task CreateApiKeyAsync_rejects_a_bad_name_and_writes_nothing(string? name)
    {
        var user = await NewUserAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateApiKeyAsync(new NewApiKey(user.Id, name!)));

        Assert.Empty(await Db.ListApiKeysAsync(user.Id));
    }

    public static TheoryData<string?[]> BadScopes() => new()
    {
        new string?[] { null },
        new string?[] { "" },
        new string?[] { "ok", "has space" },
        new string?[] { "tab\there" },
        new string?[] { "new\nline" },
        new string?[] { "nul\0" },
        new string?[] { "\u00a0nbsp" },
        new string?[] { new string('s', 201) },
        Enumerable.Range(0, 101).Select(i => (string?)$"scope.{i}").ToArray(),
    };

    [Theory]
    [MemberData(nameof(BadScopes))]
    public async Task CreateApiKeyAsync_rejects_bad_scopes_and_writes_nothing(string?[] scopes)
    {
        var user = await NewUserAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateApiKeyAsync(new NewApiKey(user.Id, "scoped", Scopes: scopes!)));

        Assert.Empty(await Db.ListApiKeysAsync(user.Id));
    }

    [Fact]
    public async Task CreateApiKeyAsync_rejects_a_null_key()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.CreateApiKeyAsync(null!));
    }

    [Fact]
    public async Task CreateApiKeyAsync_rejects_an_expiry_that_is_not_in_the_future_and_writes_nothing()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateApiKeyAsync(new NewApiKey(user.Id, "past", T0.AddSeconds(-1))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateApiKeyAsync(new NewApiKey(user.Id, "now", T0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateApiKeyAsync(new NewApiKey(user.Id, "now, other offset", T0.ToOffset(TimeSpan.FromHours(3)))));

        Assert.Empty(await db.ListApiKeysAsync(user.Id));
        var created = await CreateAsync(db, new NewApiKey(user.Id, "future", T0.AddMicroseconds(1)));
        Assert.Equal(T0.AddMicroseconds(1), created.Key.ExpiresAt);
    }

    // ---- verify ----

    [Fact]
    public async Task VerifyApiKeyAsync_returns_the_key_for_its_full_secret()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("ok"), DateTimeOffset.UtcNow.AddHours(1), ["a", "b"]));

        var verified = await Db.VerifyApiKeyAsync(created.Secret);

        Assert.NotNull(verified);
        Assert.Equal(created.Key.Id, verified.Id);
        Assert.Equal(user.Id, verified.UserId);
        Assert.Equal(created.Key.Name, verified.Name);
        Assert.Equal(created.Key.PublicId, verified.PublicId);
        Assert.Equal(["a", "b"], verified.Scopes);
        Assert.Equal(created.Key.CreatedAt, verified.CreatedAt);
        Assert.Equal(created.Key.ExpiresAt, verified.ExpiresAt);
        Assert.NotNull(verified.LastUsedAt);
        Assert.Null(verified.RevokedAt);
    }

    [Fact]
    public async Task VerifyApiKeyAsync_returns_null_for_an_unknown_well_formed_key()
    {
        Assert.Null(await Db.VerifyApiKeyAsync(WellFormedUnknownKey));
    }

    [Fact]
    public async Task VerifyApiKeyAsync_returns_null_for_a_wrong_secret_with_a_real_public_id()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("wrong")));
        var last = created.Secret[^1];
        var wrongSecret = created.Secret[..^1] + (last == 'a' ? 'b' : 'a');
        var otherSecret = created.Secret[..^SecretLength] + new string('q', SecretLength);
        fixture.RegisterSecret(wrongSecret);

        Assert.Null(await Db.VerifyApiKeyAsync(wrongSecret));
        Assert.Null(await Db.VerifyApiKeyAsync(otherSecret));
        Assert.Equal(created.Key.Id, (await Db.VerifyApiKeyAsync(created.Secret))?.Id);
    }

    [Fact]
    public async Task VerifyApiKeyAsync_returns_null_for_an_altered_copy_of_a_real_key()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("altered")));
        var key = created.Secret;

        string[] altered =
        [
            key.ToUpperInvariant(),
            " " + key,
            key + " ",
            key + "a",
            key[..^1],
            "Bearer " + key,
            key.Replace('_', '-'),
        ];

        foreach (var presented in altered)
        {
            fixture.RegisterSecret(presented.Trim());
            Assert.Null(await Db.VerifyApiKeyAsync(presented));
        }

        Assert.Null(await Db.VerifyApiKeyAsync(key[..^SecretLength]));
    }

    public static TheoryData<string?> MalformedKeys() => new()
    {
        null,
        "",
        " ",
        "\t\r\n",
        new string('a', 10_000),
        "gsk_" + new string('a', 9_996),
        "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\0",
        "gsk_aaaaaaaaaaaa\0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "\0",
        "gsk_aaaaaaaaaaaa_'); DROP TABLE api_keys;--bbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "'); DROP TABLE api_keys;--",
        "gsk_');DROP TAB_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "xyz_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "GSK_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "gsk",
        "gsk_",
        "gsk__",
        "gsk_aaaaaaaaaaaa",
        "gsk_aaaaaaaaaaaa_",
        "gsk__bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb_cc",
        "gsk_aaaaaaaaaaa1_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "gsk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb=",
    };

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task VerifyApiKeyAsync_returns_null_for_a_malformed_key(string? presented)
    {
        Assert.Null(await Db.VerifyApiKeyAsync(presented!));

        // The store is untouched by whatever the key held.
        Assert.Null(await Db.GetApiKeyAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task VerifyApiKeyAsync_turns_a_malformed_key_away_without_a_database_round_trip()
    {
        var db = fixture.CreateProvider(fixture.Url);
        Assert.Null(await db.VerifyApiKeyAsync(WellFormedUnknownKey));
        await db.DisposeAsync();

        // A disposed provider cannot reach the database: a malformed key still gets its answer, a well-formed one cannot.
        foreach (var presented in MalformedKeys())
        {
            Assert.Null(await db.VerifyApiKeyAsync(presented!));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await db.VerifyApiKeyAsync(WellFormedUnknownKey));
    }

    [Fact]
    public async Task VerifyApiKeyAsync_returns_null_for_a_revoked_key()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("revoked")));
        Assert.NotNull(await Db.VerifyApiKeyAsync(created.Secret));

        Assert.True(await Db.RevokeApiKeyAsync(created.Key.Id));

        Assert.Null(await Db.VerifyApiKeyAsync(created.Secret));
    }

    [Fact]
    public async Task VerifyApiKeyAsync_returns_null_once_the_key_has_expired()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var created = await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("expiring"), T0.AddHours(1)));

        clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromMicroseconds(1));
        Assert.NotNull(await db.VerifyApiKeyAsync(created.Secret));

        // Expiry is exclusive: at the stated time the key no longer works.
        clock.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Null(await db.VerifyApiKeyAsync(created.Secret));

        clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await db.VerifyApiKeyAsync(created.Secret));
        Assert.Equal(T0.AddHours(1), (await db.GetApiKeyAsync(created.Key.Id))!.ExpiresAt);
    }

    [Fact]
    public async Task VerifyApiKeyAsync_records_the_last_used_time_at_most_once_per_interval()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var created = await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("used")));
        Assert.Null((await db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);

        Assert.Equal(T0, (await db.VerifyApiKeyAsync(created.Secret))!.LastUsedAt);
        Assert.Equal(T0, (await db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(T0, (await db.VerifyApiKeyAsync(created.Secret))!.LastUsedAt);
        Assert.Equal(T0, (await db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(T0, (await db.VerifyApiKeyAsync(created.Secret))!.LastUsedAt);

        clock.Advance(TimeSpan.FromSeconds(2));
        var later = T0.AddSeconds(61);
        Assert.Equal(later, (await db.VerifyApiKeyAsync(created.Secret))!.LastUsedAt);
        Assert.Equal(later, (await db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);
    }

    [Fact]
    public async Task VerifyApiKeyAsync_with_a_zero_interval_records_every_use()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, o => o.ApiKeyLastUsedInterval = TimeSpan.Zero, clock);
        var user = await NewUserAsync();
        var created = await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("every")));

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(clock.Now, (await db.VerifyApiKeyAsync(created.Secret))!.LastUsedAt);
            Assert.Equal(clock.Now, (await db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);
        }
    }

    [Fact]
    public async Task VerifyApiKeyAsync_succeeds_for_16_concurrent_callers_of_the_same_key()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("busy")));

        // The key has never been used: every caller may try to record the first use at once.
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Db.VerifyApiKeyAsync(created.Secret).AsTask()));

        Assert.All(results, key => Assert.Equal(created.Key.Id, key?.Id));
        Assert.NotNull((await Db.GetApiKeyAsync(created.Key.Id))!.LastUsedAt);
    }

    // ---- get, list, revoke, delete ----

    [Fact]
    public async Task GetApiKeyAsync_returns_null_for_an_unknown_id()
    {
        Assert.Null(await Db.GetApiKeyAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task ListApiKeysAsync_returns_a_users_keys_newest_first_revoked_ones_included()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var other = await NewUserAsync();
        var keys = new List<ApiKey>();
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            keys.Add((await CreateAsync(db, new NewApiKey(user.Id, $"key {i}"))).Key);
            await CreateAsync(db, new NewApiKey(other.Id, $"other {i}"));
        }

        await db.RevokeApiKeyAsync(keys[1].Id);

        var listed = await db.ListApiKeysAsync(user.Id);
        Assert.Equal([keys[2].Id, keys[1].Id, keys[0].Id], listed.Select(k => k.Id));
        Assert.Equal(["key 2", "key 1", "key 0"], listed.Select(k => k.Name));
        Assert.True(listed[1].IsRevoked);
        Assert.All(listed, k => Assert.Equal(user.Id, k.UserId));
        Assert.Empty(await db.ListApiKeysAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task RevokeApiKeyAsync_returns_true_once_and_keeps_the_first_revocation_time()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var created = await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("revoke")));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await db.RevokeApiKeyAsync(created.Key.Id));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(await db.RevokeApiKeyAsync(created.Key.Id));
        Assert.False(await db.RevokeApiKeyAsync(Guid.NewGuid()));

        var stored = await db.GetApiKeyAsync(created.Key.Id);
        Assert.Equal(T0.AddMinutes(5), stored!.RevokedAt);
        Assert.True(stored.IsRevoked);
        Assert.Null(await db.VerifyApiKeyAsync(created.Secret));
        Assert.Null(await Db.VerifyApiKeyAsync(created.Secret));
    }

    [Fact]
    public async Task DeleteApiKeyAsync_removes_the_key_and_its_usage()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("delete")));
        var kept = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("kept")));
        await Db.IncrementApiKeyUsageAsync(created.Key.Id, TimeSpan.FromMinutes(1));
        await Db.IncrementApiKeyUsageAsync(created.Key.Id, TimeSpan.FromHours(1));
        await Db.IncrementApiKeyUsageAsync(kept.Key.Id, TimeSpan.FromHours(1));

        Assert.True(await Db.DeleteApiKeyAsync(created.Key.Id));

        Assert.False(await Db.DeleteApiKeyAsync(created.Key.Id));
        Assert.Null(await Db.GetApiKeyAsync(created.Key.Id));
        Assert.Null(await Db.VerifyApiKeyAsync(created.Secret));
        Assert.Equal(0L, await CountAsync($"SELECT COUNT(*) FROM api_key_usage WHERE api_key_id = '{created.Key.Id:D}'"));
        Assert.Equal(1L, await CountAsync($"SELECT COUNT(*) FROM api_key_usage WHERE api_key_id = '{kept.Key.Id:D}'"));
        Assert.Equal([kept.Key.Id], (await Db.ListApiKeysAsync(user.Id)).Select(k => k.Id));
    }

    [Fact]
    public async Task DeleteUserAsync_deletes_the_users_keys_and_their_usage()
    {
        var user = await NewUserAsync();
        var created = await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("owned")));
        await Db.IncrementApiKeyUsageAsync(created.Key.Id, TimeSpan.FromMinutes(1));

        Assert.True(await Db.DeleteUserAsync(user.Id));

        Assert.Null(await Db.GetApiKeyAsync(created.Key.Id));
        Assert.Null(await Db.VerifyApiKeyAsync(created.Secret));
        Assert.Empty(await Db.ListApiKeysAsync(user.Id));
        Assert.Equal(0L, await CountAsync($"SELECT COUNT(*) FROM api_key_usage WHERE api_key_id = '{created.Key.Id:D}'"));
    }

    // ---- usage ----

    [Fact]
    public async Task IncrementApiKeyUsageAsync_counts_32_concurrent_uses_of_one_window_exactly()
    {
        var clock = new FixedTimeProvider(T0.AddSeconds(17));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var created = await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("counted")));

        var counts = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => db.IncrementApiKeyUsageAsync(created.Key.Id, TimeSpan.FromMinutes(1))));

        Assert.Equal(Enumerable.Range(1, 32).Select(i => (long)i), counts.Order());
        Assert.Equal(32L, await CountAsync($"SELECT count FROM api_key_usage WHERE api_key_id = '{created.Key.Id:D}'"));
        var usage = Assert.Single(await db.GetApiKeyUsageAsync(created.Key.Id, T0, T0.AddHours(1)));
        Assert.Equal(new ApiKeyUsage(created.Key.Id, T0, TimeSpan.FromMinutes(1), 32), usage);
    }

    [Fact]
    public async Task IncrementApiKeyUsageAsync_counts_each_window_and_window_length_separately()
    {
        // 10:00:30 UTC: the 1-minute window starts at 10:00:00, the 1-hour and 1-day windows at 10:00 and midnight.
        var start = new DateTimeOffset(2030, 6, 1, 10, 0, 30, TimeSpan.Zero);
        var clock = new FixedTimeProvider(start.ToOffset(TimeSpan.FromHours(2)));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var key = (await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("windows")))).Key;
        var other = (await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("other")))).Key;

        Assert.Equal(1, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1)));
        Assert.Equal(2, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromHours(1)));
        Assert.Equal(1, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromDays(1)));
        Assert.Equal(1, await db.IncrementApiKeyUsageAsync(other.Id, TimeSpan.FromMinutes(1)));

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(3, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1)));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1)));
        Assert.Equal(2, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromHours(1)));
        Assert.Equal(2, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromDays(1)));

        var midnight = new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var ten = midnight.AddHours(10);
        var usage = await db.GetApiKeyUsageAsync(key.Id, midnight, midnight.AddDays(1));
        Assert.Equal(
            [
                new ApiKeyUsage(key.Id, midnight, TimeSpan.FromDays(1), 2),
                new ApiKeyUsage(key.Id, ten, TimeSpan.FromMinutes(1), 3),
                new ApiKeyUsage(key.Id, ten, TimeSpan.FromHours(1), 2),
                new ApiKeyUsage(key.Id, ten.AddMinutes(1), TimeSpan.FromMinutes(1), 1),
            ],
            usage);
        Assert.All(usage, u => Assert.Equal(TimeSpan.Zero, u.WindowStart.Offset));
        Assert.Equal([new ApiKeyUsage(other.Id, ten, TimeSpan.FromMinutes(1), 1)], await db.GetApiKeyUsageAsync(other.Id, midnight, midnight.AddDays(1)));
    }

    [Fact]
    public async Task IncrementApiKeyUsageAsync_aligns_windows_to_the_epoch_for_every_length_that_divides_a_day()
    {
        var now = new DateTimeOffset(2030, 6, 1, 13, 47, 23, TimeSpan.Zero).AddTicks(1_234_567);
        var clock = new FixedTimeProvider(now);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var key = (await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("aligned")))).Key;

        foreach (var seconds in new[] { 1, 5, 45, 900, 10_800, 86_400 })
        {
            Assert.Equal(1, await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromSeconds(seconds)));
        }

        var usage = await db.GetApiKeyUsageAsync(key.Id, now.AddDays(-1), now.AddDays(1));
        var starts = usage.ToDictionary(u => (int)u.WindowLength.TotalSeconds, u => u.WindowStart);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 13, 47, 23, TimeSpan.Zero), starts[1]);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 13, 47, 20, TimeSpan.Zero), starts[5]);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 13, 47, 15, TimeSpan.Zero), starts[45]);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 13, 45, 0, TimeSpan.Zero), starts[900]);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero), starts[10_800]);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero), starts[86_400]);
    }

    [Fact]
    public async Task GetApiKeyUsageAsync_returns_the_windows_that_start_in_the_range_oldest_first()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var user = await NewUserAsync();
        var key = (await CreateAsync(db, new NewApiKey(user.Id, Unique.Name("range")))).Key;
        for (var minute = 0; minute < 4; minute++)
        {
            clock.Now = T0.AddMinutes(minute).AddSeconds(10);
            for (var use = 0; use <= minute; use++)
            {
                await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1));
            }
        }

        var oneMinute = TimeSpan.FromMinutes(1);
        Assert.Equal(
            [new ApiKeyUsage(key.Id, T0.AddMinutes(1), oneMinute, 2), new ApiKeyUsage(key.Id, T0.AddMinutes(2), oneMinute, 3)],
            await db.GetApiKeyUsageAsync(key.Id, T0.AddMinutes(1), T0.AddMinutes(3)));
        Assert.Equal(
            [new ApiKeyUsage(key.Id, T0.AddMinutes(2), oneMinute, 3)],
            await db.GetApiKeyUsageAsync(key.Id, T0.AddMinutes(1).AddMicroseconds(1), T0.AddMinutes(3).AddMicroseconds(-1)));
        Assert.Equal(
            [1L, 2L, 3L, 4L],
            (await db.GetApiKeyUsageAsync(key.Id, T0.AddHours(-1).ToOffset(TimeSpan.FromHours(-5)), T0.AddHours(1))).Select(u => u.Count));
        Assert.Empty(await db.GetApiKeyUsageAsync(key.Id, T0.AddMinutes(4), T0.AddHours(1)));
        Assert.Empty(await db.GetApiKeyUsageAsync(Guid.NewGuid(), T0, T0.AddHours(1)));
    }

    [Fact]
    public async Task IncrementApiKeyUsageAsync_for_a_missing_key_throws_entity_not_found()
    {
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.IncrementApiKeyUsageAsync(missing, TimeSpan.FromMinutes(1)));

        Assert.Equal("ApiKey", error.Entity);
        Assert.Equal(missing.ToString(), error.Id);
        Assert.Equal(0L, await CountAsync($"SELECT COUNT(*) FROM api_key_usage WHERE api_key_id = '{missing:D}'"));
    }

    public static TheoryData<long> BadWindowLengths() => new()
    {
        0,
        -TimeSpan.TicksPerSecond,
        TimeSpan.TicksPerMillisecond * 500,
        TimeSpan.TicksPerMillisecond * 1500,
        TimeSpan.TicksPerSecond * 7,
        TimeSpan.TicksPerSecond * 7_000,
        TimeSpan.TicksPerDay + TimeSpan.TicksPerSecond,
        TimeSpan.TicksPerDay * 2,
        TimeSpan.MaxValue.Ticks,
        TimeSpan.MinValue.Ticks,
    };

    [Theory]
    [MemberData(nameof(BadWindowLengths))]
    public async Task IncrementApiKeyUsageAsync_rejects_a_bad_window_length_and_writes_nothing(long ticks)
    {
        var user = await NewUserAsync();
        var key = (await CreateAsync(Db, new NewApiKey(user.Id, Unique.Name("bad window")))).Key;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromTicks(ticks)));

        Assert.Equal(0L, await CountAsync($"SELECT COUNT(*) FROM api_key_usage WHERE api_key_id = '{key.Id:D}'"));
    }

    [Fact]
    public async Task PruneApiKeyUsageAsync_deletes_the_windows_that_start_before_the_cutoff_in_batches()
    {
        var clock = new FixedTimeProvider(T0);
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, options => options.PruneBatchSize = 2, clock);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser(Unique.Email("prune")));
        var key = (await CreateAsync(db, new NewApiKey(user.Id, "pruned"))).Key;
        await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromHours(1));
        for (var minute = 0; minute < 5; minute++)
        {
            await db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        // The hour window and the minute windows of T0, T0+1 and T0+2 start before the cutoff; T0+3 starts at it.
        Assert.Equal(4, await db.PruneApiKeyUsageAsync(T0.AddMinutes(3)));

        var left = await db.GetApiKeyUsageAsync(key.Id, T0.AddDays(-1), T0.AddDays(1));
        Assert.Equal([T0.AddMinutes(3), T0.AddMinutes(4)], left.Select(w => w.WindowStart));
        Assert.Equal(0, await db.PruneApiKeyUsageAsync(T0.AddMinutes(3)));
        Assert.Equal(2, await db.PruneApiKeyUsageAsync(T0.AddDays(1)));
    }

    [Fact]
    public async Task GetApiKeyUsageAsync_rejects_an_empty_or_reversed_range()
    {
        var now = DateTimeOffset.UtcNow;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetApiKeyUsageAsync(Guid.NewGuid(), now, now));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetApiKeyUsageAsync(Guid.NewGuid(), now, now.AddSeconds(-1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetApiKeyUsageAsync(Guid.NewGuid(), now, now.ToOffset(TimeSpan.FromHours(4))));
    }

    // ---- helpers ----

    private Task<User> NewUserAsync() => Db.CreateUserAsync(new NewUser(Unique.Email("keys")));

    /// <summary>Creates a key and registers its secret, so the fixture fails if it ever reaches a log.</summary>
    private async Task<CreatedApiKey> CreateAsync(IDatabaseProvider db, NewApiKey key)
    {
        var created = await db.CreateApiKeyAsync(key);
        fixture.RegisterSecret(created.Secret);
        fixture.RegisterSecret(created.Secret[^SecretLength..]);
        return created;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using DbConnection raw = await fixture.OpenRawConnectionAsync(fixture.Url);
        return Convert.ToInt64(await raw.ExecuteScalarAsync(sql), CultureInfo.InvariantCulture);
    }

    private static void AssertSameKey(ApiKey expected, ApiKey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Scopes = NoScopes }, actual with { Scopes = NoScopes });
        Assert.Equal(expected.Scopes, actual.Scopes);
    }

    [Fact]
    public async Task CreateApiKeyAsync_refuses_a_key_beyond_the_per_user_limit_and_writes_nothing()
    {
        var user = await NewUserAsync();
        var bystander = await NewUserAsync();
        for (var i = 0; i < IApiKeyStore.MaxApiKeysPerUser; i++)
        {
            await CreateAsync(Db, new NewApiKey(user.Id, $"key {i}"));
        }

        await Db.RevokeApiKeyAsync((await Db.ListApiKeysAsync(user.Id))[0].Id);
        var error = await Assert.ThrowsAsync<LimitExceededException>(() => CreateAsync(Db, new NewApiKey(user.Id, "one too many")));

        Assert.Equal(IApiKeyStore.MaxApiKeysPerUser, error.Limit);
        Assert.Equal(nameof(ApiKey), error.Entity);
        Assert.False(error.IsTransient);
        Assert.Contains(user.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(IApiKeyStore.MaxApiKeysPerUser, (await Db.ListApiKeysAsync(user.Id)).Count);
        Assert.DoesNotContain(await Db.ListApiKeysAsync(user.Id), k => k.Name == "one too many");
        await CreateAsync(Db, new NewApiKey(bystander.Id, "unaffected"));

        // Deleting a key makes room again.
        Assert.True(await Db.DeleteApiKeyAsync((await Db.ListApiKeysAsync(user.Id))[^1].Id));
        await CreateAsync(Db, new NewApiKey(user.Id, "room again"));
    }

    [Fact]
    public async Task Concurrent_creates_never_take_a_user_past_the_api_key_limit()
    {
        var user = await NewUserAsync();
        for (var i = 0; i < IApiKeyStore.MaxApiKeysPerUser - 2; i++)
        {
            await CreateAsync(Db, new NewApiKey(user.Id, $"key {i}"));
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await CreateAsync(Db, new NewApiKey(user.Id, $"racer {i}"));
                return true;
            }
            catch (LimitExceededException)
            {
                return false;
            }
        }));

        Assert.Equal(2, attempts.Count(created => created));
        Assert.Equal(IApiKeyStore.MaxApiKeysPerUser, (await Db.ListApiKeysAsync(user.Id)).Count);
    }

    [Fact]
    public async Task CreateApiKeyAsync_for_an_unknown_user_still_throws_EntityNotFoundException()
    {
        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.CreateApiKeyAsync(new NewApiKey(Guid.NewGuid(), "orphan")));
        Assert.Equal(nameof(User), error.Entity);
    }
}
