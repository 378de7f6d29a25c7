using System.Text.Json;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Audit;

public abstract class AuditLogConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private static readonly DateTimeOffset T0 = new(2030, 6, 7, 8, 9, 10, TimeSpan.Zero);

    private IDatabaseProvider Db => fixture.Provider;

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void AssertJsonEqual(JsonElement expected, JsonElement? actual)
    {
        Assert.NotNull(actual);
        Assert.True(JsonElement.DeepEquals(expected, actual.Value), $"Expected {expected.GetRawText()} but read {actual.Value.GetRawText()}.");
    }

    private async Task<IDatabaseProvider> FreshAsync(TimeProvider? time = null, Action<GatewayStorageOptions>? configure = null)
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, configure, time);
        await db.MigrateAsync();
        return db;
    }

    private static async Task<List<AuditEntry>> QueryAllAsync(IDatabaseProvider db, AuditQuery query)
    {
        var entries = new List<AuditEntry>();
        var page = new PageRequest(PageRequest.MaxLimit);
        while (true)
        {
            var result = await db.QueryAuditAsync(query, page);
            entries.AddRange(result.Items);
            if (result.NextCursor is null)
            {
                return entries;
            }

            page = page.Next(result.NextCursor);
        }
    }

    private static async Task<List<Guid>> IdsAsync(IDatabaseProvider db, AuditQuery query) =>
        (await QueryAllAsync(db, query)).Select(e => e.Id).ToList();

    [Fact]
    public async Task AppendAuditAsync_stores_every_field_and_QueryAuditAsync_returns_the_same_entry()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2030, 6, 7, 10, 9, 10, TimeSpan.FromHours(2)).AddTicks(1234567));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var actor = Unique.Email("admin");

        var entry = await db.AppendAuditAsync(new NewAuditEntry(
            "user.update", actor, "user", "42", Succeeded: false, IpAddress: "2001:db8::1", Details: Json("""{"field":"email","attempt":3}""")));

        Assert.Equal(7, entry.Id.Version);
        Assert.Equal(T0.AddTicks(1234560), entry.OccurredAt);
        Assert.Equal(TimeSpan.Zero, entry.OccurredAt.Offset);
        Assert.Equal(actor, entry.Actor);
        Assert.Equal("user.update", entry.Action);
        Assert.Equal("user", entry.TargetType);
        Assert.Equal("42", entry.TargetId);
        Assert.False(entry.Succeeded);
        Assert.Equal("2001:db8::1", entry.IpAddress);
        AssertJsonEqual(Json("""{"attempt":3,"field":"email"}"""), entry.Details);

        var read = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Actor: actor), PageRequest.First)).Items);
        Assert.Equal(entry with { Details = null }, read with { Details = null });
        AssertJsonEqual(entry.Details!.Value, read.Details);
    }

    [Fact]
    public async Task AppendAuditAsync_with_only_an_action_stores_nulls_and_succeeded_true()
    {
        var action = Unique.Name("bare");

        var entry = await Db.AppendAuditAsync(new NewAuditEntry(action));

        var read = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Action: action), PageRequest.First)).Items);
        Assert.Equal(entry, read);
        Assert.True(read.Succeeded);
        Assert.Null(read.Actor);
        Assert.Null(read.TargetType);
        Assert.Null(read.TargetId);
        Assert.Null(read.IpAddress);
        Assert.Null(read.Details);
    }

    private static List<Guid> Sorted(params AuditEntry[] entries) => [.. entries.Select(e => e.Id).Order()];

    private async Task<List<Guid>> SortedIdsAsync(AuditQuery query) => [.. (await IdsAsync(Db, query)).Order()];

    [Fact]
    public async Task QueryAuditAsync_filters_by_actor_action_and_target_alone_and_combined()
    {
        var alice = Unique.Name("alice");
        var bob = Unique.Name("bob");
        var create = Unique.Name("create");
        var delete = Unique.Name("delete");
        var user = Unique.Name("user");
        var role = Unique.Name("role");
        var a = await Db.AppendAuditAsync(new NewAuditEntry(create, alice, user, "1"));
        var b = await Db.AppendAuditAsync(new NewAuditEntry(delete, alice, user, "2"));
        var c = await Db.AppendAuditAsync(new NewAuditEntry(create, bob, role, "1"));
        var d = await Db.AppendAuditAsync(new NewAuditEntry(create, bob, user, "1"));

        // Which entries match is the point here (order has its own tests): compare as sets.
        Assert.Equal(Sorted(a, b), await SortedIdsAsync(new AuditQuery(Actor: alice)));
        Assert.Equal(Sorted(a, c, d), await SortedIdsAsync(new AuditQuery(Action: create)));
        Assert.Equal(Sorted(a, b, d), await SortedIdsAsync(new AuditQuery(TargetType: user)));
        Assert.Equal(Sorted(c), await SortedIdsAsync(new AuditQuery(TargetType: role, TargetId: "1")));
        Assert.Equal(Sorted(a, d), await SortedIdsAsync(new AuditQuery(Action: create, TargetType: user, TargetId: "1")));
        Assert.Equal(Sorted(d), await SortedIdsAsync(new AuditQuery(Actor: bob, Action: create, TargetType: user)));
        Assert.Equal(Sorted(b), await SortedIdsAsync(new AuditQuery(Actor: alice, TargetType: user, TargetId: "2")));
        Assert.Empty(await IdsAsync(Db, new AuditQuery(Actor: alice, Action: create, TargetType: role)));

        // Exact matches only: no case folding, no prefix or LIKE matching.
        Assert.Empty(await IdsAsync(Db, new AuditQuery(Actor: alice.ToUpperInvariant())));
        Assert.Empty(await IdsAsync(Db, new AuditQuery(Actor: alice[..^1])));
        Assert.Empty(await IdsAsync(Db, new AuditQuery(Actor: alice[..^1] + "%")));
    }

    [Fact]
    public async Task QueryAuditAsync_includes_From_and_excludes_To()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var actor = Unique.Name("ranger");
        var entries = new List<AuditEntry>();
        for (var i = 0; i < 4; i++)
        {
            entries.Add(await db.AppendAuditAsync(new NewAuditEntry("tick", actor)));
            clock.Advance(TimeSpan.FromHours(1));
        }

        var query = new AuditQuery(Actor: actor);
        Assert.Equal([entries[2].Id, entries[1].Id], await IdsAsync(db, query with { From = T0.AddHours(1), To = T0.AddHours(3) }));
        Assert.Equal([entries[3].Id, entries[2].Id], await IdsAsync(db, query with { From = T0.AddHours(2) }));
        Assert.Equal([entries[0].Id], await IdsAsync(db, query with { To = T0.AddHours(1) }));
        Assert.Equal([entries[1].Id], await IdsAsync(db, query with { From = T0.AddHours(1), To = T0.AddHours(1).AddMicroseconds(1) }));
        Assert.Empty(await IdsAsync(db, query with { From = T0.AddHours(1).AddMicroseconds(1), To = T0.AddHours(2) }));

        // Times in another offset, and with sub-microsecond ticks, mean the same instant.
        var from = new DateTimeOffset(2030, 6, 7, 11, 9, 10, TimeSpan.FromHours(2)).AddTicks(3);
        Assert.Equal([entries[3].Id, entries[2].Id, entries[1].Id], await IdsAsync(db, query with { From = from }));
    }

    [Fact]
    public async Task QueryAuditAsync_rejects_an_empty_or_inverted_time_range()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(From: T0, To: T0), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(From: T0, To: T0.AddTicks(9)), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(From: T0.AddHours(1), To: T0), PageRequest.First));
    }

    [Fact]
    public async Task QueryAuditAsync_rejects_bad_arguments()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.QueryAuditAsync(null!, PageRequest.First));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.QueryAuditAsync(AuditQuery.All, null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(Actor: new string('a', 10_000)), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(Action: ""), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(new AuditQuery(TargetId: "nul\0"), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.QueryAuditAsync(AuditQuery.All, new PageRequest(1, "not-a-cursor")));
    }

    [Fact]
    public async Task QueryAuditAsync_rejects_a_cursor_from_another_list()
    {
        await using var db = await FreshAsync();
        await db.CreateUserAsync(new NewUser(Unique.Email()));
        await db.CreateUserAsync(new NewUser(Unique.Email()));
        var users = await db.ListUsersAsync(UserQuery.All, new PageRequest(1));
        Assert.NotNull(users.NextCursor);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.QueryAuditAsync(AuditQuery.All, new PageRequest(1, users.NextCursor)));
    }

    [Fact]
    public async Task QueryAuditAsync_cursors_reveal_no_filter_value()
    {
        await using var db = await FreshAsync();
        var actor = Unique.Email("secret.actor");
        await db.AppendAuditAsync(new NewAuditEntry("a", actor));
        await db.AppendAuditAsync(new NewAuditEntry("b", actor));

        var page = await db.QueryAuditAsync(new AuditQuery(Actor: actor), new PageRequest(1));

        Assert.NotNull(page.NextCursor);
        var decoded = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(page.NextCursor));
        Assert.DoesNotContain(actor, decoded, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> DetailDocuments => new()
    {
        """{"user":{"id":42,"roles":["admin","auditor"],"active":true,"manager":null}}""",
        """[1,2.5,-3e2,"four",false,null,{"nested":[[[]]]}]""",
        """{"unicode":"名前 🚀 ∑ é","escapes":"quote \" backslash \\ tab \t newline \n","sql":"'); DROP TABLE audit_log;--"}""",
        """{"big":12345678901234567890,"small":1e-7,"zero":0}""",
        "\"just a string\"",
        """123""",
        """true""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(DetailDocuments))]
    public async Task AppendAuditAsync_round_trips_details_as_the_same_json(string json)
    {
        var action = Unique.Name("details");
        var details = Json(json);

        var entry = await Db.AppendAuditAsync(new NewAuditEntry(action, Details: details));

        AssertJsonEqual(details, entry.Details);
        var read = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Action: action), PageRequest.First)).Items);
        AssertJsonEqual(details, read.Details);
    }

    [Fact]
    public async Task AppendAuditAsync_keeps_null_details_apart_from_a_json_null()
    {
        var none = await Db.AppendAuditAsync(new NewAuditEntry(Unique.Name("none"), Details: null));
        var jsonNull = await Db.AppendAuditAsync(new NewAuditEntry(Unique.Name("json-null"), Details: Json("null")));

        var readNone = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Action: none.Action), PageRequest.First)).Items);
        var readJsonNull = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Action: jsonNull.Action), PageRequest.First)).Items);
        Assert.Null(readNone.Details);
        Assert.Equal(JsonValueKind.Null, readJsonNull.Details?.ValueKind);
    }

    [Fact]
    public async Task AppendAuditAsync_accepts_details_of_exactly_64_KiB_and_rejects_larger()
    {
        var action = Unique.Name("size");
        var exact = Json("\"" + new string('d', (64 * 1024) - 2) + "\"");
        var tooLarge = Json("\"" + new string('d', (64 * 1024) - 1) + "\"");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.AppendAuditAsync(new NewAuditEntry(action, Details: tooLarge)));
        var entry = await Db.AppendAuditAsync(new NewAuditEntry(action, Details: exact));

        Assert.Equal(64 * 1024, entry.Details!.Value.GetRawText().Length);
        Assert.Equal([entry.Id], await IdsAsync(Db, new AuditQuery(Action: action)));
    }

    private static readonly Dictionary<string, NewAuditEntry> InvalidEntries = new()
    {
        ["empty action"] = new NewAuditEntry(""),
        ["blank action"] = new NewAuditEntry("   "),
        ["null action"] = new NewAuditEntry(null!),
        ["101-character action"] = new NewAuditEntry(new string('a', 101)),
        ["action with NUL"] = new NewAuditEntry("user.\0create"),
        ["action with a line break"] = new NewAuditEntry("user.create\nforged line"),
        ["action with surrounding space"] = new NewAuditEntry(" user.create"),
        ["10,000-character actor"] = new NewAuditEntry("ok", Actor: new string('a', 10_000)),
        ["201-character actor"] = new NewAuditEntry("ok", Actor: new string('a', 201)),
        ["actor with NUL"] = new NewAuditEntry("ok", Actor: "admin\0"),
        ["actor with a line break (a forged log line)"] = new NewAuditEntry("ok", Actor: "admin\n2026-01-01 login ok root"),
        ["target id with a carriage return"] = new NewAuditEntry("ok", TargetId: "42\rforged"),
        ["ip address with a tab"] = new NewAuditEntry("ok", IpAddress: "10.0.0.1\t"),
        ["101-character target type"] = new NewAuditEntry("ok", TargetType: new string('t', 101)),
        ["target type with NUL"] = new NewAuditEntry("ok", TargetType: "\0"),
        ["201-character target id"] = new NewAuditEntry("ok", TargetId: new string('i', 201)),
        ["65-character ip address"] = new NewAuditEntry("ok", IpAddress: new string('1', 65)),
        ["undefined details"] = new NewAuditEntry("ok", Details: default(JsonElement)),
        ["details with NUL"] = new NewAuditEntry("ok", Details: Json("""{"a":"\u0000"}""")),
        ["details with a duplicate property"] = new NewAuditEntry("ok", Details: Json("""{"a":1,"a":2}""")),
    };

    public static TheoryData<string> InvalidEntryNames => new(InvalidEntries.Keys);

    [Theory]
    [MemberData(nameof(InvalidEntryNames))]
    public async Task AppendAuditAsync_rejects_bad_input_before_writing_anything(string invalid)
    {
        await using var db = await FreshAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.AppendAuditAsync(InvalidEntries[invalid]));

        Assert.Empty((await db.QueryAuditAsync(AuditQuery.All, PageRequest.First)).Items);
    }

    [Fact]
    public async Task AppendAuditAsync_rejects_a_null_entry()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.AppendAuditAsync(null!));
    }

    [Fact]
    public async Task AppendAuditAsync_accepts_fields_of_the_maximum_length_exactly()
    {
        var actor = Unique.Name("max").PadRight(200, 'a');
        var entry = new NewAuditEntry(
            new string('x', 90) + Unique.Suffix()[..10], actor, new string('t', 100), new string('i', 200), IpAddress: new string('f', 64));

        var stored = await Db.AppendAuditAsync(entry);

        var read = Assert.Single((await Db.QueryAuditAsync(new AuditQuery(Actor: actor), PageRequest.First)).Items);
        Assert.Equal(stored, read);
        Assert.Equal(100, read.Action.Length);
        Assert.Equal(entry.TargetId, read.TargetId);
        Assert.Equal(entry.IpAddress, read.IpAddress);
    }

    [Fact]
    public async Task QueryAuditAsync_returns_entries_newest_first()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var actor = Unique.Name("order");
        var appended = new List<AuditEntry>();
        for (var i = 0; i < 6; i++)
        {
            appended.Add(await db.AppendAuditAsync(new NewAuditEntry($"step-{i}", actor)));
            clock.Advance(TimeSpan.FromMilliseconds(3));
        }

        var read = await QueryAllAsync(db, new AuditQuery(Actor: actor));

        Assert.Equal(appended.Select(e => e.Id).Reverse(), read.Select(e => e.Id));
        Assert.Equal(appended.Select(e => e.OccurredAt).Reverse(), read.Select(e => e.OccurredAt));
    }

    [Fact]
    public async Task QueryAuditAsync_pages_newest_first_and_returns_each_entry_exactly_once_while_entries_are_appended()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = await FreshAsync(clock);
        var expected = new List<Guid>();
        for (var i = 0; i < 25; i++)
        {
            expected.Add((await db.AppendAuditAsync(new NewAuditEntry("seed", $"actor-{i % 3}"))).Id);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        expected.Reverse();
        var seen = new List<Guid>();
        var late = new List<Guid>();
        var page = new PageRequest(7);
        var pages = 0;
        while (true)
        {
            var result = await db.QueryAuditAsync(AuditQuery.All, page);
            pages++;
            Assert.True(result.Items.Count <= 7);
            seen.AddRange(result.Items.Select(e => e.Id));

            // A writer appends between every two pages; the new entries are newer than the cursor, so never show up.
            late.Add((await db.AppendAuditAsync(new NewAuditEntry("late"))).Id);
            clock.Advance(TimeSpan.FromSeconds(1));
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(expected, seen);
        Assert.Equal(4, pages);
        Assert.Equal(expected.Count + late.Count, (await QueryAllAsync(db, AuditQuery.All)).Count);
    }

    [Fact]
    public async Task QueryAuditAsync_pages_a_filtered_query_with_a_time_range()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = await FreshAsync(clock);
        var expected = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var entry = await db.AppendAuditAsync(new NewAuditEntry(i % 2 == 0 ? "even" : "odd", "pager"));
            if (i % 2 == 0 && i >= 4 && i < 24)
            {
                expected.Add(entry.Id);
            }

            clock.Advance(TimeSpan.FromSeconds(1));
        }

        expected.Reverse();
        var query = new AuditQuery(Actor: "pager", Action: "even", From: T0.AddSeconds(4), To: T0.AddSeconds(24));
        var seen = new List<Guid>();
        var page = new PageRequest(3);
        while (true)
        {
            var result = await db.QueryAuditAsync(query, page);
            seen.AddRange(result.Items.Select(e => e.Id));
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(10, expected.Count);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task PurgeAuditAsync_deletes_exactly_the_entries_before_the_cutoff_in_batches_and_counts_them()
    {
        var clock = new FixedTimeProvider(T0);
        await using var db = await FreshAsync(clock, options => options.PruneBatchSize = 3);
        for (var i = 0; i < 10; i++)
        {
            await db.AppendAuditAsync(new NewAuditEntry("old", Unique.Name("actor")));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var cutoff = clock.Now;
        var kept = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            kept.Add((await db.AppendAuditAsync(new NewAuditEntry("new"))).Id);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(10, await db.PurgeAuditAsync(cutoff));

        kept.Reverse();
        Assert.Equal(kept, await IdsAsync(db, AuditQuery.All));
        Assert.Equal(0, await db.PurgeAuditAsync(cutoff));

        // The entry at exactly the cut-off was kept: "before" is exclusive.
        Assert.Equal(1, await db.PurgeAuditAsync(cutoff.AddMicroseconds(1)));
    }

    [Fact]
    public async Task PurgeAuditAsync_on_an_empty_log_returns_zero()
    {
        await using var db = await FreshAsync();

        Assert.Equal(0, await db.PurgeAuditAsync(DateTimeOffset.UtcNow));
    }
}
