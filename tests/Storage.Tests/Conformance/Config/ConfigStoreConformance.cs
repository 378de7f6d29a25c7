using System.Text.Json;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Config;

public abstract class ConfigStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string Injection = "'); DROP TABLE config_entries;--";

    private IDatabaseProvider Db => fixture.Provider;

    private static string Key(string prefix = "test") => $"{prefix}.{Unique.Suffix()}";

    private static JsonElement Json(string text) => JsonText(text).RootElement.Clone();

    private static JsonDocument JsonText(string text) => JsonDocument.Parse(text);

    private static void AssertJsonEqual(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"Expected {expected.GetRawText()} but read {actual.GetRawText()}.");

    [Fact]
    public async Task GetConfigAsync_returns_null_for_a_key_that_is_not_set()
    {
        Assert.Null(await Db.GetConfigAsync(Key()));
    }

    [Fact]
    public async Task SetConfigAsync_creates_version_1_and_GetConfigAsync_returns_the_same_entry()
    {
        var key = Key();

        var set = await Db.SetConfigAsync(key, Json("""{"limit":100}"""));
        var read = await Db.GetConfigAsync(key);

        Assert.Equal(key, set.Key);
        Assert.Equal(1, set.Version);
        Assert.Equal(TimeSpan.Zero, set.UpdatedAt.Offset);
        AssertJsonEqual(Json("""{"limit":100}"""), set.Value);
        Assert.NotNull(read);
        Assert.Equal(key, read.Key);
        Assert.Equal(1, read.Version);
        Assert.Equal(set.UpdatedAt, read.UpdatedAt);
        AssertJsonEqual(set.Value, read.Value);
    }

    public static TheoryData<string> JsonDocuments => new()
    {
        """{"name":"gateway","limits":{"perMinute":100,"burst":[1,2,[3,4,{"deep":true}]]},"tags":["a","b"]}""",
        """{"zeta":1,"alpha":2,"mid":{"y":null,"x":false}}""",
        """{"greeting":"Grüße, 世界 🚀 ∑","escaped":"caf\u00e9 \ud83d\ude80","quote":"\"\\/\b\f\n\r\t"}""",
        """{"int":42,"negative":-7,"zero":0,"max":9223372036854775807,"min":-9223372036854775808}""",
        """{"half":1.5,"tiny":1e-7,"big":1.5E+300,"trailing":2.50,"negativeExponent":-3.25e-2}""",
        """{"yes":true,"no":false,"nothing":null}""",
        """[1,"two",3.0,null,true,{"k":[]},[]]""",
        "{}",
        "[]",
        "\"just a string\"",
        "\"\"",
        "12345",
        "1e-7",
        "-0.5",
        "true",
        "false",
        "null",
        """{"injection":"'); DROP TABLE config_entries;--"}""",
        """   {  "spaced" :  [ 1 ,  2 ]  }   """,
    };

    [Theory]
    [MemberData(nameof(JsonDocuments))]
    public async Task SetConfigAsync_stores_a_json_document_that_reads_back_equal(string json)
    {
        var key = Key();
        using var document = JsonText(json);

        var set = await Db.SetConfigAsync(key, document.RootElement);
        var read = await Db.GetConfigAsync(key);

        AssertJsonEqual(document.RootElement, set.Value);
        Assert.NotNull(read);
        AssertJsonEqual(document.RootElement, read.Value);
    }

    [Fact]
    public async Task SetConfigAsync_returns_a_value_that_outlives_the_callers_document()
    {
        var key = Key();
        ConfigEntry set;
        using (var document = JsonText("""{"a":[1,2,3]}"""))
        {
            set = await Db.SetConfigAsync(key, document.RootElement);
        }

        var read = await Db.GetConfigAsync(key);

        AssertJsonEqual(Json("""{"a":[1,2,3]}"""), set.Value);
        AssertJsonEqual(Json("""{"a":[1,2,3]}"""), read!.Value);
    }

    [Fact]
    public async Task SetConfigAsync_keeps_a_large_64_bit_integer_exactly()
    {
        var key = Key();

        await Db.SetConfigAsync(key, Json("""{"id":9007199254740993,"max":9223372036854775807}"""));
        var read = await Db.GetConfigAsync(key);

        Assert.Equal(9007199254740993L, read!.Value.GetProperty("id").GetInt64());
        Assert.Equal(long.MaxValue, read.Value.GetProperty("max").GetInt64());
    }

    [Fact]
    public async Task SetConfigAsync_keeps_decimals_as_the_same_numbers()
    {
        var key = Key();

        await Db.SetConfigAsync(key, Json("""{"half":1.5,"tiny":1e-7,"money":0.1}"""));
        var read = await Db.GetConfigAsync(key);

        Assert.Equal(1.5m, read!.Value.GetProperty("half").GetDecimal());
        Assert.Equal(0.0000001m, read.Value.GetProperty("tiny").GetDecimal());
        Assert.Equal(0.1m, read.Value.GetProperty("money").GetDecimal());
        Assert.Equal(1e-7, read.Value.GetProperty("tiny").GetDouble());
    }

    [Fact]
    public async Task SetConfigAsync_stores_an_injection_string_as_plain_data()
    {
        var key = Key();

        await Db.SetConfigAsync(key, JsonSerializer.SerializeToElement(Injection, ConfigTestJsonContext.Default.String));
        var read = await Db.GetConfigAsync(key);

        Assert.Equal(JsonValueKind.String, read!.Value.ValueKind);
        Assert.Equal(Injection, read.Value.GetString());
        Assert.NotEmpty((await Db.ListConfigAsync(key, PageRequest.First)).Items);
    }

    [Fact]
    public async Task SetConfigAsync_without_a_version_overwrites_and_increments_the_version()
    {
        var key = Key();
        var first = await Db.SetConfigAsync(key, Json("1"));

        var second = await Db.SetConfigAsync(key, Json("""{"two":2}"""));
        var third = await Db.SetConfigAsync(key, Json("[3]"));

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(3, third.Version);
        Assert.True(third.UpdatedAt >= first.UpdatedAt);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(3, read!.Version);
        AssertJsonEqual(Json("[3]"), read.Value);
    }

    [Fact]
    public async Task SetConfigAsync_with_the_current_version_succeeds_and_increments_it()
    {
        var key = Key();
        var first = await Db.SetConfigAsync(key, Json("\"one\""));

        var second = await Db.SetConfigAsync(key, Json("\"two\""), expectedVersion: first.Version);
        var third = await Db.SetConfigAsync(key, Json("\"three\""), expectedVersion: second.Version);

        Assert.Equal(2, second.Version);
        Assert.Equal(3, third.Version);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(3, read!.Version);
        Assert.Equal("three", read.Value.GetString());
    }

    [Fact]
    public async Task SetConfigAsync_with_a_stale_version_throws_and_keeps_the_value()
    {
        var key = Key();
        var first = await Db.SetConfigAsync(key, Json("\"original\""));
        await Db.SetConfigAsync(key, Json("\"first writer\""), expectedVersion: first.Version);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Db.SetConfigAsync(key, Json("\"second writer\""), expectedVersion: first.Version));

        Assert.Equal(key, error.Id);
        Assert.Equal(first.Version, error.ExpectedVersion);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(2, read!.Version);
        Assert.Equal("first writer", read.Value.GetString());
    }

    [Fact]
    public async Task SetConfigAsync_with_a_version_ahead_of_the_stored_one_throws_and_keeps_the_value()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("\"original\""));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.SetConfigAsync(key, Json("\"future\""), expectedVersion: 5));

        var read = await Db.GetConfigAsync(key);
        Assert.Equal(1, read!.Version);
        Assert.Equal("original", read.Value.GetString());
    }

    [Fact]
    public async Task SetConfigAsync_with_version_0_creates_a_key_that_is_not_set()
    {
        var key = Key();

        var created = await Db.SetConfigAsync(key, Json("""{"new":true}"""), expectedVersion: 0);

        Assert.Equal(1, created.Version);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(1, read!.Version);
        AssertJsonEqual(Json("""{"new":true}"""), read.Value);
    }

    [Fact]
    public async Task SetConfigAsync_with_version_0_on_an_existing_key_throws_and_keeps_the_value()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("\"first\""));

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.SetConfigAsync(key, Json("\"second\""), expectedVersion: 0));

        Assert.Equal(0, error.ExpectedVersion);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(1, read!.Version);
        Assert.Equal("first", read.Value.GetString());
    }

    [Fact]
    public async Task SetConfigAsync_with_a_positive_version_on_a_key_that_is_not_set_throws_and_creates_nothing()
    {
        var key = Key();

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.SetConfigAsync(key, Json("1"), expectedVersion: 1));

        Assert.Equal(1, error.ExpectedVersion);
        Assert.Null(await Db.GetConfigAsync(key));
    }

    [Fact]
    public async Task SetConfigAsync_with_a_negative_version_throws_before_writing_anything()
    {
        var key = Key();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key, Json("1"), expectedVersion: -1));

        Assert.Null(await Db.GetConfigAsync(key));
    }

    [Fact]
    public async Task SetConfigAsync_with_version_0_lets_exactly_one_of_many_concurrent_creators_win()
    {
        var key = Key();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                return await Db.SetConfigAsync(key, Json($$"""{"writer":{{i}}}"""), expectedVersion: 0);
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(attempts, a => a is not null);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(1, read!.Version);
        AssertJsonEqual(winner!.Value, read.Value);
    }

    [Fact]
    public async Task SetConfigAsync_with_the_same_version_lets_exactly_one_of_many_concurrent_writers_win()
    {
        var key = Key();
        var first = await Db.SetConfigAsync(key, Json("0"));

        var attempts = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            try
            {
                return await Db.SetConfigAsync(key, Json(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), expectedVersion: first.Version);
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(2, winner!.Version);
        var read = await Db.GetConfigAsync(key);
        Assert.Equal(2, read!.Version);
        AssertJsonEqual(winner.Value, read.Value);
    }

    [Fact]
    public async Task SetConfigAsync_without_a_version_counts_every_concurrent_write()
    {
        var key = Key();

        var entries = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Db.SetConfigAsync(key, Json($"[{i}]"))));

        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), entries.Select(e => e.Version).Order());
        Assert.Equal(8, (await Db.GetConfigAsync(key))!.Version);
    }

    [Fact]
    public async Task GetConfigValueAsync_with_a_type_info_deserialises_the_value()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("""{"requestsPerMinute":120,"paths":["/a","/b"],"enabled":true}"""));

        var value = await Db.GetConfigValueAsync(key, ConfigTestJsonContext.Default.RateLimitSettings);

        Assert.True(new RateLimitSettings(120, ["/a", "/b"], true).Matches(value));
    }

    [Fact]
    public async Task GetConfigValueAsync_with_a_type_info_returns_default_for_a_key_that_is_not_set()
    {
        Assert.Null(await Db.GetConfigValueAsync(Key(), ConfigTestJsonContext.Default.RateLimitSettings));
        Assert.Equal(0, await Db.GetConfigValueAsync(Key(), ConfigTestJsonContext.Default.Int32));
    }

    [Fact]
    public async Task GetConfigValueAsync_with_a_type_info_throws_a_json_exception_for_a_value_of_another_shape()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("\"not an object\""));

        await Assert.ThrowsAsync<JsonException>(() => Db.GetConfigValueAsync(key, ConfigTestJsonContext.Default.RateLimitSettings));
    }

    [Fact]
    public async Task GetConfigValueAsync_rejects_a_null_type_info()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.GetConfigValueAsync<int>(Key(), null!));
    }

    [Fact]
    public async Task SetConfigValueAsync_and_GetConfigValueAsync_extensions_round_trip_a_typed_value()
    {
        var key = Key();
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var settings = new RateLimitSettings(60, ["/v1/chat", "/v1/ünïcode"], false);

        var set = await Db.SetConfigValueAsync(key, settings, options: options);
        var read = await Db.GetConfigValueAsync<RateLimitSettings>(key, options);
        var typed = await Db.GetConfigValueAsync(key, ConfigTestJsonContext.Default.RateLimitSettings);

        Assert.Equal(1, set.Version);
        Assert.True(settings.Matches(read));
        Assert.True(settings.Matches(typed));
    }

    [Fact]
    public async Task SetConfigValueAsync_extension_honours_the_expected_version()
    {
        var key = Key();
        var first = await Db.SetConfigValueAsync(key, 1, expectedVersion: 0);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.SetConfigValueAsync(key, 2, expectedVersion: 0));
        var second = await Db.SetConfigValueAsync(key, 3, expectedVersion: first.Version);

        Assert.Equal(2, second.Version);
        Assert.Equal(3, await Db.GetConfigValueAsync<int>(key));
    }

    [Fact]
    public async Task GetConfigValueAsync_extension_returns_default_for_a_key_that_is_not_set()
    {
        Assert.Null(await Db.GetConfigValueAsync<RateLimitSettings>(Key()));
        Assert.Equal(0, await Db.GetConfigValueAsync<int>(Key()));
    }

    [Fact]
    public async Task DeleteConfigAsync_returns_true_once_and_then_false()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("true"));

        Assert.True(await Db.DeleteConfigAsync(key));
        Assert.False(await Db.DeleteConfigAsync(key));
        Assert.Null(await Db.GetConfigAsync(key));
    }

    [Fact]
    public async Task DeleteConfigAsync_returns_false_for_a_key_that_was_never_set()
    {
        Assert.False(await Db.DeleteConfigAsync(Key()));
    }

    [Fact]
    public async Task SetConfigAsync_after_a_delete_starts_again_at_version_1()
    {
        var key = Key();
        await Db.SetConfigAsync(key, Json("1"));
        await Db.SetConfigAsync(key, Json("2"));
        await Db.DeleteConfigAsync(key);

        var again = await Db.SetConfigAsync(key, Json("3"), expectedVersion: 0);

        Assert.Equal(1, again.Version);
    }

    [Fact]
    public async Task ListConfigAsync_returns_the_keys_with_the_prefix_in_ordinal_order()
    {
        var prefix = $"list.{Unique.Suffix()}.";
        string[] suffixes = ["b", "B", "a", "a-1", "a.1", "a/1", "a:1", "a_1", "A", "1", "Z", "z", "_"];
        foreach (var suffix in suffixes)
        {
            await Db.SetConfigAsync(prefix + suffix, Json($"\"{suffix}\""));
        }

        var page = await Db.ListConfigAsync(prefix, PageRequest.First);

        Assert.Null(page.NextCursor);
        Assert.Equal(suffixes.Select(s => prefix + s).Order(StringComparer.Ordinal), page.Items.Select(e => e.Key));
        Assert.All(page.Items, e => Assert.Equal(e.Key[prefix.Length..], e.Value.GetString()));
        Assert.All(page.Items, e => Assert.Equal(1, e.Version));
    }

    [Fact]
    public async Task ListConfigAsync_matches_the_prefix_case_sensitively()
    {
        var prefix = $"app.{Unique.Suffix()}.";
        var upper = prefix.ToUpperInvariant();
        await Db.SetConfigAsync(prefix + "x", Json("1"));
        await Db.SetConfigAsync(upper + "x", Json("2"));
        await Db.SetConfigAsync($"App.{prefix[4..]}y", Json("3"));

        var lower = await Db.ListConfigAsync(prefix, PageRequest.First);
        var upperPage = await Db.ListConfigAsync(upper, PageRequest.First);

        Assert.Equal([prefix + "x"], lower.Items.Select(e => e.Key));
        Assert.Equal([upper + "x"], upperPage.Items.Select(e => e.Key));
    }

    [Fact]
    public async Task ListConfigAsync_does_not_list_keys_that_only_share_the_start_of_the_prefix()
    {
        var stem = $"stem{Unique.Suffix()}";
        await Db.SetConfigAsync(stem, Json("0"));
        await Db.SetConfigAsync(stem + ".child", Json("1"));
        await Db.SetConfigAsync(stem + "s.other", Json("2"));
        await Db.SetConfigAsync(stem + "-dash", Json("3"));
        await Db.SetConfigAsync(stem[..^1] + ".sibling", Json("4"));

        var withDot = await Db.ListConfigAsync(stem + ".", PageRequest.First);
        var bare = await Db.ListConfigAsync(stem, PageRequest.First);

        Assert.Equal([stem + ".child"], withDot.Items.Select(e => e.Key));
        Assert.Equal(new[] { stem, stem + "-dash", stem + ".child", stem + "s.other" }.Order(StringComparer.Ordinal), bare.Items.Select(e => e.Key));
    }

    [Fact]
    public async Task ListConfigAsync_returns_an_empty_last_page_for_a_prefix_nothing_has()
    {
        var page = await Db.ListConfigAsync($"none.{Unique.Suffix()}.", PageRequest.First);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListConfigAsync_with_an_empty_prefix_lists_every_key()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        string[] keys = ["z", "a.b", "A", "m:n/o", "a"];
        foreach (var key in keys)
        {
            await db.SetConfigAsync(key, Json("null"));
        }

        var page = await db.ListConfigAsync("", PageRequest.First);

        Assert.Equal(keys.Order(StringComparer.Ordinal), page.Items.Select(e => e.Key));
        Assert.All(page.Items, e => Assert.Equal(JsonValueKind.Null, e.Value.ValueKind));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListConfigAsync_returns_every_entry_exactly_once_while_entries_are_inserted_between_pages()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var initial = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var key = $"page.m{i:D2}";
            initial.Add(key);
            await db.SetConfigAsync(key, Json($$"""{"i":{{i}}}"""));
        }

        // Keys outside the prefix on both sides, which must never show up.
        await db.SetConfigAsync("pagd.outside", Json("0"));
        await db.SetConfigAsync("pagf.outside", Json("0"));
        await db.SetConfigAsync("PAGE.m99", Json("0"));

        var late = new List<string>();
        var seen = new List<string>();
        var page = new PageRequest(7);
        for (var round = 0; ; round++)
        {
            var result = await db.ListConfigAsync("page.", page);
            seen.AddRange(result.Items.Select(e => e.Key));
            Assert.True(result.Items.Count <= 7);
            if (result.NextCursor is null)
            {
                break;
            }

            // A writer adds one key before the cursor (never listed now) and one after it (listed later).
            await db.SetConfigAsync($"page.a{round:D2}", Json("0"));
            var after = $"page.z{round:D2}";
            late.Add(after);
            await db.SetConfigAsync(after, Json("0"));
            page = page.Next(result.NextCursor);
        }

        Assert.Equal(initial.Concat(late).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task ListConfigAsync_pages_of_one_walk_the_prefix_in_order()
    {
        var prefix = $"one.{Unique.Suffix()}.";
        string[] keys = [prefix + "c", prefix + "a", prefix + "b"];
        foreach (var key in keys)
        {
            await Db.SetConfigAsync(key, Json("1"));
        }

        var seen = new List<string>();
        var page = new PageRequest(1);
        var pages = 0;
        while (true)
        {
            var result = await Db.ListConfigAsync(prefix, page);
            pages++;
            seen.AddRange(result.Items.Select(e => e.Key));
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), seen);
        Assert.InRange(pages, 3, 4);
    }

    [Fact]
    public async Task ListConfigAsync_rejects_a_cursor_from_another_prefix_or_list()
    {
        var prefix = $"cur.{Unique.Suffix()}.";
        await Db.SetConfigAsync(prefix + "a", Json("1"));
        await Db.SetConfigAsync(prefix + "b", Json("2"));
        var first = await Db.ListConfigAsync(prefix, new PageRequest(1));
        Assert.NotNull(first.NextCursor);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync(prefix + "a", new PageRequest(1, first.NextCursor)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync(prefix, new PageRequest(1, "not-a-cursor")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListUsersAsync(UserQuery.All, new PageRequest(1, first.NextCursor)));
    }

    [Fact]
    public async Task ListConfigAsync_rejects_a_null_or_malformed_prefix_and_a_null_page()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.ListConfigAsync(null!, PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync("with space", PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync("%", PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync(new string('k', 10_000), PageRequest.First));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.ListConfigAsync("a", null!));
    }

    [Fact]
    public async Task Keys_are_case_sensitive()
    {
        var key = $"case.{Unique.Suffix()}.Key";
        await Db.SetConfigAsync(key, Json("\"mixed\""));
        await Db.SetConfigAsync(key.ToUpperInvariant(), Json("\"upper\""));

        Assert.Equal("mixed", (await Db.GetConfigAsync(key))!.Value.GetString());
        Assert.Equal("upper", (await Db.GetConfigAsync(key.ToUpperInvariant()))!.Value.GetString());
        Assert.Null(await Db.GetConfigAsync(key.ToLowerInvariant()));
    }

    [Fact]
    public async Task SetConfigAsync_accepts_a_key_of_exactly_200_characters_of_every_allowed_kind()
    {
        var start = $"Aa9._-:/{Unique.Suffix()}";
        var key = start + new string('k', 200 - start.Length);

        await Db.SetConfigAsync(key, Json("1"));

        Assert.Equal(1, (await Db.GetConfigAsync(key))!.Version);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key + "k", Json("1")));
    }

    public static TheoryData<string?> InvalidKeys => new()
    {
        null,
        "",
        " ",
        "   ",
        new string('k', 10_000),
        new string('k', 201),
        "nul\0key",
        "with space",
        " leading",
        "trailing ",
        "tab\tkey",
        "new\nline",
        Injection,
        "per%cent",
        "under_score*star",
        "quote'key",
        "ünïcode",
        "back\\slash",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Every_config_operation_rejects_an_invalid_key_before_writing_anything(string? key)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.SetConfigAsync(key!, Json("1")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.SetConfigAsync(key!, Json("1"), expectedVersion: 0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.GetConfigAsync(key!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.GetConfigValueAsync(key!, ConfigTestJsonContext.Default.Int32));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.DeleteConfigAsync(key!));

        Assert.Empty((await db.ListConfigAsync("", PageRequest.First)).Items);
    }

    public static TheoryData<string> InvalidValues => new()
    {
        "\"nul\\u0000inside\"",
        "\"\\u0000\"",
        """{"nested":{"deeper":["ok","bad\u0000"]}}""",
        """{"key\u0000name":1}""",
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task SetConfigAsync_rejects_a_value_with_nul_and_writes_nothing(string json)
    {
        var fresh = Key();
        var existing = Key();
        await Db.SetConfigAsync(existing, Json("\"kept\""));
        using var document = JsonText(json);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(fresh, document.RootElement));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(existing, document.RootElement));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(existing, document.RootElement, expectedVersion: 1));

        Assert.Null(await Db.GetConfigAsync(fresh));
        var kept = await Db.GetConfigAsync(existing);
        Assert.Equal(1, kept!.Version);
        Assert.Equal("kept", kept.Value.GetString());
    }

    public static TheoryData<string> LoneSurrogates => new()
    {
        "\"\\ud800\"",
        "\"ends with a high half \\ud83d\"",
        """["ok","\udc00 low half first"]""",
        """{"\ud800":1}""",
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task SetConfigAsync_rejects_a_string_with_a_lone_surrogate_and_writes_nothing(string json)
    {
        // PostgreSQL's jsonb refuses unpaired surrogates; SQLite would store them. Both must refuse alike, as malformed input.
        var key = Key();
        using var document = JsonText(json);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key, document.RootElement));

        Assert.Null(await Db.GetConfigAsync(key));
    }

    [Fact]
    public async Task SetConfigAsync_accepts_a_value_nested_64_levels_deep()
    {
        var key = Key();
        using var document = JsonText(new string('[', 64) + new string(']', 64));

        await Db.SetConfigAsync(key, document.RootElement);

        AssertJsonEqual(document.RootElement, (await Db.GetConfigAsync(key))!.Value);
    }

    [Fact]
    public async Task SetConfigAsync_rejects_a_value_nested_deeper_than_it_can_be_read_back_and_writes_nothing()
    {
        // A caller may build such an element with a larger JsonDocumentOptions.MaxDepth; once stored it would make
        // every later get of the key, and every list that covers it, throw.
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var text = new string('[', 65) + new string(']', 65);
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 65 });

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.SetConfigAsync("deep", document.RootElement));

        await using var connection = await fixture.OpenRawConnectionAsync(url);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM config_entries";
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SetConfigAsync_rejects_an_undefined_json_element_and_writes_nothing()
    {
        var key = Key();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key, default, expectedVersion: 0));

        Assert.Null(await Db.GetConfigAsync(key));
    }

    [Fact]
    public async Task SetConfigAsync_rejects_a_value_over_1_MiB_and_writes_nothing()
    {
        var key = Key();
        var existing = Key();
        await Db.SetConfigAsync(existing, Json("\"kept\""));
        var tooLarge = JsonSerializer.SerializeToElement(new string('x', 1024 * 1024), ConfigTestJsonContext.Default.String);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(key, tooLarge));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.SetConfigAsync(existing, tooLarge));

        Assert.Null(await Db.GetConfigAsync(key));
        Assert.Equal("kept", (await Db.GetConfigAsync(existing))!.Value.GetString());
    }

    [Fact]
    public async Task SetConfigAsync_accepts_a_value_of_exactly_1_MiB()
    {
        var key = Key();
        var large = new string('y', (1024 * 1024) - 2);
        var value = JsonSerializer.SerializeToElement(large, ConfigTestJsonContext.Default.String);
        Assert.Equal(1024 * 1024, value.GetRawText().Length);

        await Db.SetConfigAsync(key, value);

        Assert.Equal(large, (await Db.GetConfigAsync(key))!.Value.GetString());
    }
}
