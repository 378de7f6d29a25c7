using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.McpServers;

public abstract class McpServerStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string Injection = "'); DROP TABLE mcp_servers;--";

    private IDatabaseProvider Db => fixture.Provider;

    private static Uri Url(string host = "mcp") => new($"https://{host}.example.org/mcp");

    private static McpServerRegistration Registration(string name, IEnumerable<string>? tags = null) =>
        new(name, Url(), "A test server", IsEnabled: true, Tags: tags);

    /// <summary>Records compare lists by reference, so compare the tags by their items.</summary>
    private static void AssertSameServer(McpServer expected, McpServer? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Url.OriginalString, actual.Url.OriginalString);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.IsEnabled, actual.IsEnabled);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Version, actual.Version);
    }

    private async Task<IDatabaseProvider> FreshDatabaseAsync() => (await FreshDatabaseWithUrlAsync()).Db;

    private async Task<(IDatabaseProvider Db, string Url)> FreshDatabaseWithUrlAsync()
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        return (db, url);
    }

    private static async Task<List<McpServer>> ListAllAsync(IDatabaseProvider db, McpServerQuery query, int pageSize = PageRequest.MaxLimit)
    {
        var all = new List<McpServer>();
        var page = new PageRequest(pageSize);
        while (true)
        {
            var result = await db.ListMcpServersAsync(query, page);
            Assert.True(result.Items.Count <= pageSize);
            all.AddRange(result.Items);
            if (result.NextCursor is null)
            {
                return all;
            }

            page = page.Next(result.NextCursor);
        }
    }

    private static IEnumerable<string> InNameOrder(IEnumerable<string> names) =>
        names.OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal);

    [Fact]
    public async Task UpsertMcpServerAsync_creates_a_server_with_version_1_and_normalised_tags()
    {
        var name = Unique.Name("server");
        var url = new Uri("https://tools.example.org:8443/mcp?x=1");

        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(name, url, "Search tools", Tags: ["Search", "beta", "search", "Alpha", "BETA"]));

        Assert.NotEqual(Guid.Empty, server.Id);
        Assert.Equal(7, server.Id.Version);
        Assert.Equal(name, server.Name);
        Assert.Equal(url.OriginalString, server.Url.OriginalString);
        Assert.Equal("Search tools", server.Description);
        Assert.True(server.IsEnabled);
        Assert.Equal(["alpha", "beta", "search"], server.Tags);
        Assert.Equal(1, server.Version);
        Assert.Equal(TimeSpan.Zero, server.CreatedAt.Offset);
        Assert.Equal(server.CreatedAt, server.UpdatedAt);
        AssertSameServer(server, await Db.GetMcpServerAsync(server.Id));
    }

    [Fact]
    public async Task UpsertMcpServerAsync_without_tags_creates_a_server_with_no_tags_and_no_description()
    {
        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(Unique.Name("bare"), Url(), IsEnabled: false));

        Assert.Empty(server.Tags);
        Assert.Null(server.Description);
        Assert.False(server.IsEnabled);
        AssertSameServer(server, await Db.GetMcpServerAsync(server.Id));
    }

    [Fact]
    public async Task GetMcpServerAsync_returns_null_for_an_unknown_id()
    {
        Assert.Null(await Db.GetMcpServerAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetMcpServerByNameAsync_returns_null_for_an_unknown_name()
    {
        Assert.Null(await Db.GetMcpServerByNameAsync(Unique.Name("missing")));
    }

    [Fact]
    public async Task GetMcpServerByNameAsync_ignores_case()
    {
        var server = await Db.UpsertMcpServerAsync(Registration(Unique.Name("Weather-Server"), ["Weather"]));

        AssertSameServer(server, await Db.GetMcpServerByNameAsync(server.Name.ToUpperInvariant()));
        AssertSameServer(server, await Db.GetMcpServerByNameAsync(server.Name.ToLowerInvariant()));
    }

    [Fact]
    public async Task GetMcpServerByNameAsync_finds_a_unicode_name_in_either_case_and_normal_form()
    {
        var suffix = Unique.Suffix();
        var server = await Db.UpsertMcpServerAsync(Registration($"Zürich Kalender {suffix}"));

        Assert.Equal(server.Id, (await Db.GetMcpServerByNameAsync($"ZÜRICH KALENDER {suffix.ToUpperInvariant()}"))?.Id);
        Assert.Equal(server.Id, (await Db.GetMcpServerByNameAsync($"zu\u0308rich kalender {suffix}"))?.Id);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_with_the_same_name_in_another_case_updates_in_place_and_keeps_the_tags()
    {
        var name = Unique.Name("Keeper");
        var created = await Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url("before"), "Before", Tags: ["one", "two"]));

        var updated = await Db.UpsertMcpServerAsync(new McpServerRegistration(name.ToUpperInvariant(), Url("after"), "After", IsEnabled: false));

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(Url("after").OriginalString, updated.Url.OriginalString);
        Assert.Equal("After", updated.Description);
        Assert.False(updated.IsEnabled);
        Assert.Equal(["one", "two"], updated.Tags);
        Assert.Equal(2, updated.Version);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        AssertSameServer(updated, await Db.GetMcpServerAsync(created.Id));
        AssertSameServer(updated, await Db.GetMcpServerByNameAsync(name));
    }

    [Fact]
    public async Task UpsertMcpServerAsync_keeps_one_registration_per_name()
    {
        var tag = $"one{Unique.Suffix()}";
        var name = Unique.Name("single");
        await Db.UpsertMcpServerAsync(Registration(name, [tag]));

        await Db.UpsertMcpServerAsync(Registration(name.ToUpperInvariant()));
        await Db.UpsertMcpServerAsync(Registration(name, [tag]));

        var listed = Assert.Single(await ListAllAsync(Db, new McpServerQuery(Tag: tag)));
        Assert.Equal(3, listed.Version);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_with_the_same_tags_keeps_them()
    {
        var name = Unique.Name("same");
        var created = await Db.UpsertMcpServerAsync(Registration(name, ["b", "a"]));

        var updated = await Db.UpsertMcpServerAsync(Registration(name, ["A", "B"]));

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(["a", "b"], updated.Tags);
        Assert.Equal(2, updated.Version);
        Assert.Equal(["a", "b"], (await Db.GetMcpServerAsync(created.Id))!.Tags);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_with_a_new_tag_list_replaces_the_tags()
    {
        var name = Unique.Name("replace");
        var created = await Db.UpsertMcpServerAsync(Registration(name, ["old", "shared"]));

        var updated = await Db.UpsertMcpServerAsync(Registration(name, ["shared", "New"]));

        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(["new", "shared"], updated.Tags);
        Assert.Equal(["new", "shared"], (await Db.GetMcpServerAsync(created.Id))!.Tags);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_with_an_empty_tag_list_removes_the_tags()
    {
        var name = Unique.Name("untag");
        var created = await Db.UpsertMcpServerAsync(Registration(name, ["gone", "also-gone"]));

        var updated = await Db.UpsertMcpServerAsync(Registration(name, []));

        Assert.Equal(created.Id, updated.Id);
        Assert.Empty(updated.Tags);
        Assert.Empty((await Db.GetMcpServerAsync(created.Id))!.Tags);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_replaces_the_description_including_with_none()
    {
        var name = Unique.Name("describe");
        await Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url(), "First"));

        var cleared = await Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url()));

        Assert.Null(cleared.Description);
        Assert.Null((await Db.GetMcpServerByNameAsync(name))!.Description);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_from_many_concurrent_callers_keeps_one_registration()
    {
        var name = Unique.Name("race");

        var servers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Db.UpsertMcpServerAsync(Registration(name, [$"writer{i}"]))));

        Assert.Single(servers.Select(s => s.Id).Distinct());
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), servers.Select(s => s.Version).Order());
        var stored = await Db.GetMcpServerByNameAsync(name);
        Assert.Equal(8, stored!.Version);
        Assert.Single(stored.Tags);
    }

    [Fact]
    public async Task DeleteMcpServerAsync_returns_true_once_and_then_false()
    {
        var server = await Db.UpsertMcpServerAsync(Registration(Unique.Name("delete"), ["x"]));

        Assert.True(await Db.DeleteMcpServerAsync(server.Id));
        Assert.False(await Db.DeleteMcpServerAsync(server.Id));
        Assert.Null(await Db.GetMcpServerAsync(server.Id));
        Assert.Null(await Db.GetMcpServerByNameAsync(server.Name));
    }

    [Fact]
    public async Task DeleteMcpServerAsync_returns_false_for_an_unknown_id()
    {
        Assert.False(await Db.DeleteMcpServerAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task DeleteMcpServerAsync_removes_the_tags_and_a_new_registration_with_the_same_name_starts_without_them()
    {
        var (db, url) = await FreshDatabaseWithUrlAsync();
        await using var _ = db;
        var tag = "deleted-tag";
        var server = await db.UpsertMcpServerAsync(Registration("To Delete", [tag, "other"]));
        var kept = await db.UpsertMcpServerAsync(Registration("Kept", ["other"]));

        await db.DeleteMcpServerAsync(server.Id);
        var again = await db.UpsertMcpServerAsync(Registration("TO DELETE"));

        Assert.NotEqual(server.Id, again.Id);
        Assert.Equal(1, again.Version);
        Assert.Empty(again.Tags);
        Assert.Empty(await ListAllAsync(db, new McpServerQuery(Tag: tag)));
        Assert.Equal([kept.Id], (await ListAllAsync(db, new McpServerQuery(Tag: "other"))).Select(s => s.Id));
        Assert.Equal(["other"], (await db.GetMcpServerAsync(kept.Id))!.Tags);

        // The tag rows themselves are gone, not merely unreachable.
        await using var connection = await fixture.OpenRawConnectionAsync(url);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM mcp_server_tags";
        Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ListMcpServersAsync_returns_servers_in_case_insensitive_name_order()
    {
        await using var db = await FreshDatabaseAsync();
        string[] names = ["beta", "Alpha", "gamma", "ALPHA-2", "alpha_3", "Zed", "delta.1", "a"];
        foreach (var name in names)
        {
            await db.UpsertMcpServerAsync(Registration(name));
        }

        var page = await db.ListMcpServersAsync(McpServerQuery.All, PageRequest.First);

        Assert.Null(page.NextCursor);
        Assert.Equal(InNameOrder(names), page.Items.Select(s => s.Name));
    }

    [Fact]
    public async Task ListMcpServersAsync_returns_every_server_exactly_once_while_servers_are_inserted_between_pages()
    {
        await using var db = await FreshDatabaseAsync();
        var initial = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            // Several tags each: a page is a number of servers, not of joined rows.
            var server = await db.UpsertMcpServerAsync(Registration($"m-{i:D2}", ["t1", "t2", "t3"]));
            initial.Add(server.Name);
        }

        var late = new List<string>();
        var seen = new List<McpServer>();
        var page = new PageRequest(7);
        for (var round = 0; ; round++)
        {
            var result = await db.ListMcpServersAsync(McpServerQuery.All, page);
            Assert.True(result.Items.Count <= 7);
            seen.AddRange(result.Items);
            if (result.NextCursor is null)
            {
                break;
            }

            // A writer registers one server that sorts before the cursor (never listed now) and one after it (listed later).
            await db.UpsertMcpServerAsync(Registration($"A-late-{round:D2}", ["t1", "t2", "t3"]));
            var after = $"z-late-{round:D2}";
            late.Add(after);
            await db.UpsertMcpServerAsync(Registration(after, ["t1", "t2", "t3"]));
            page = page.Next(result.NextCursor);
        }

        Assert.Equal(InNameOrder(initial.Concat(late)), seen.Select(s => s.Name));
        Assert.All(seen, s => Assert.Equal(["t1", "t2", "t3"], s.Tags));
    }

    [Fact]
    public async Task ListMcpServersAsync_filters_by_tag_ignoring_case_and_returns_every_tag_of_a_match()
    {
        var tag = $"team-{Unique.Suffix()}";
        var suffix = Unique.Suffix();
        var enabled = await Db.UpsertMcpServerAsync(new McpServerRegistration($"b-{suffix}", Url(), Tags: [tag.ToUpperInvariant(), "extra"]));
        var disabled = await Db.UpsertMcpServerAsync(new McpServerRegistration($"a-{suffix}", Url(), IsEnabled: false, Tags: [tag]));
        await Db.UpsertMcpServerAsync(new McpServerRegistration($"c-{suffix}", Url(), Tags: ["extra"]));
        await Db.UpsertMcpServerAsync(new McpServerRegistration($"d-{suffix}", Url()));

        var byTag = await ListAllAsync(Db, new McpServerQuery(Tag: tag.ToUpperInvariant()));
        var enabledByTag = await ListAllAsync(Db, new McpServerQuery(Tag: tag, IsEnabled: true));
        var disabledByTag = await ListAllAsync(Db, new McpServerQuery(Tag: tag, IsEnabled: false));

        Assert.Equal([disabled.Id, enabled.Id], byTag.Select(s => s.Id));
        AssertSameServer(enabled, byTag[1]);
        Assert.Equal(["extra", tag], byTag[1].Tags);
        AssertSameServer(enabled, Assert.Single(enabledByTag));
        AssertSameServer(disabled, Assert.Single(disabledByTag));
    }

    [Fact]
    public async Task ListMcpServersAsync_filters_by_enabled_flag()
    {
        await using var db = await FreshDatabaseAsync();
        await db.UpsertMcpServerAsync(new McpServerRegistration("on-1", Url()));
        await db.UpsertMcpServerAsync(new McpServerRegistration("off-1", Url(), IsEnabled: false, Tags: ["x"]));
        await db.UpsertMcpServerAsync(new McpServerRegistration("on-2", Url(), Tags: ["x"]));
        await db.UpsertMcpServerAsync(new McpServerRegistration("off-2", Url(), IsEnabled: false));

        Assert.Equal(["on-1", "on-2"], (await ListAllAsync(db, new McpServerQuery(IsEnabled: true))).Select(s => s.Name));
        Assert.Equal(["off-1", "off-2"], (await ListAllAsync(db, new McpServerQuery(IsEnabled: false))).Select(s => s.Name));
        Assert.Equal(["off-1", "off-2", "on-1", "on-2"], (await ListAllAsync(db, McpServerQuery.All)).Select(s => s.Name));
    }

    [Fact]
    public async Task ListMcpServersAsync_pages_through_a_filtered_list()
    {
        await using var db = await FreshDatabaseAsync();
        var expected = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var tagged = i % 3 != 0;
            var name = $"s-{i:D2}";
            await db.UpsertMcpServerAsync(Registration(name, tagged ? ["pick", "more", "tags"] : ["skip"]));
            if (tagged)
            {
                expected.Add(name);
            }
        }

        var listed = await ListAllAsync(db, new McpServerQuery(Tag: "PICK"), pageSize: 3);

        Assert.Equal(expected, listed.Select(s => s.Name));
    }

    [Fact]
    public async Task ListMcpServersAsync_returns_an_empty_last_page_for_a_tag_nobody_has()
    {
        var page = await Db.ListMcpServersAsync(new McpServerQuery(Tag: $"none-{Unique.Suffix()}"), PageRequest.First);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListMcpServersAsync_rejects_bad_filters_pages_and_cursors()
    {
        await Db.UpsertMcpServerAsync(Registration(Unique.Name("c1")));
        await Db.UpsertMcpServerAsync(Registration(Unique.Name("c2")));
        var users = new PageRequest(1, "not-a-cursor");

        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.ListMcpServersAsync(null!, PageRequest.First));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.ListMcpServersAsync(McpServerQuery.All, null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListMcpServersAsync(new McpServerQuery(Tag: "has space"), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListMcpServersAsync(new McpServerQuery(Tag: ""), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListMcpServersAsync(new McpServerQuery(Tag: Injection), PageRequest.First));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListMcpServersAsync(McpServerQuery.All, users));

        var servers = await Db.ListMcpServersAsync(McpServerQuery.All, new PageRequest(1));
        Assert.NotNull(servers.NextCursor);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListConfigAsync("", new PageRequest(1, servers.NextCursor)));
    }

    [Theory]
    [InlineData("http://mcp.example.org/")]
    [InlineData("https://mcp.example.org:8443/v1/sse?token=abc")]
    [InlineData("ws://localhost:3000")]
    [InlineData("wss://mcp.example.org/socket")]
    [InlineData("HTTPS://MCP.EXAMPLE.ORG/Path")]
    [InlineData("http://[::1]:8080/mcp")]
    [InlineData("https://bücher.example/mcp")]
    public async Task UpsertMcpServerAsync_accepts_http_and_websocket_urls_and_stores_them_exactly(string url)
    {
        var uri = new Uri(url);
        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(Unique.Name("url"), uri));

        var read = await Db.GetMcpServerAsync(server.Id);

        Assert.Equal(uri.OriginalString, read!.Url.OriginalString);
        Assert.Equal(uri, read.Url);
    }

    [Theory]
    [InlineData(Injection)]
    [InlineData("Robert\"); DELETE FROM mcp_server_tags; --")]
    [InlineData("Line one\nLine two\r\n\ttabbed")]
    [InlineData("名前 🚀 ∑")]
    [InlineData("  leading and trailing  ")]
    [InlineData("")]
    public async Task UpsertMcpServerAsync_stores_and_returns_unusual_descriptions_exactly(string description)
    {
        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(Unique.Name("desc"), Url(), description));

        Assert.Equal(description, (await Db.GetMcpServerAsync(server.Id))!.Description);
        Assert.Equal(description, (await Db.GetMcpServerByNameAsync(server.Name))!.Description);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_accepts_the_longest_allowed_name_description_and_tag()
    {
        var name = Unique.Name("long");
        name += new string('n', 100 - name.Length);
        var description = new string('d', 1000);
        var tag = "Ü" + new string('t', 63);

        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url(), description, Tags: [tag, "a.b_c-d:e"]));

        var read = await Db.GetMcpServerAsync(server.Id);
        Assert.Equal(name, read!.Name);
        Assert.Equal(description, read.Description);
        Assert.Equal(new[] { "a.b_c-d:e", tag.ToLowerInvariant() }.Order(StringComparer.Ordinal), read.Tags);
    }

    private static readonly Dictionary<string, Func<McpServerRegistration?>> Invalid = new()
    {
        ["null registration"] = () => null,
        ["null name"] = () => new(null!, Url()),
        ["empty name"] = () => new("", Url()),
        ["white-space name"] = () => new("   ", Url()),
        ["10,000-character name"] = () => new(new string('n', 10_000), Url()),
        ["101-character name"] = () => new(new string('n', 101), Url()),
        ["NUL in the name"] = () => new("nul\0name", Url()),
        ["line break in the name"] = () => new("two\nlines", Url()),
        ["name with a leading space"] = () => new(" padded", Url()),
        ["NUL in the description"] = () => new("valid-name", Url(), "nul\0description"),
        ["1,001-character description"] = () => new("valid-name", Url(), new string('d', 1001)),
        ["null URL"] = () => new("valid-name", null!),
        ["relative URL"] = () => new("valid-name", new Uri("/mcp", UriKind.Relative)),
        ["ftp URL"] = () => new("valid-name", new Uri("ftp://files.example.org/mcp")),
        ["javascript URL"] = () => new("valid-name", new Uri("javascript:alert(1)")),
        ["file URL"] = () => new("valid-name", new Uri("file:///etc/passwd")),
        ["mailto URL"] = () => new("valid-name", new Uri("mailto:ops@example.org")),
        ["2,049-character URL"] = () => new("valid-name", new Uri("https://example.org/" + new string('p', 2049 - 20))),
        ["tag with spaces"] = () => new("valid-name", Url(), Tags: ["good", "has space"]),
        ["65-character tag"] = () => new("valid-name", Url(), Tags: [new string('t', 65)]),
        ["empty tag"] = () => new("valid-name", Url(), Tags: [""]),
        ["null tag"] = () => new("valid-name", Url(), Tags: [null!]),
        ["tag with a slash"] = () => new("valid-name", Url(), Tags: ["a/b"]),
        ["injection as a tag"] = () => new("valid-name", Url(), Tags: [Injection]),
        ["NUL in a tag"] = () => new("valid-name", Url(), Tags: ["nul\0tag"]),
        ["101 tags"] = () => new("valid-name", Url(), Tags: Enumerable.Range(0, 101).Select(i => $"t{i}")),
    };

    public static TheoryData<string> InvalidRegistrations => [.. Invalid.Keys];

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task UpsertMcpServerAsync_rejects_an_invalid_registration_before_writing_anything(string reason)
    {
        await using var db = await FreshDatabaseAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.UpsertMcpServerAsync(Invalid[reason]()!));

        Assert.Empty((await db.ListMcpServersAsync(McpServerQuery.All, PageRequest.First)).Items);
    }

    [Fact]
    public async Task UpsertMcpServerAsync_with_an_invalid_field_leaves_an_existing_registration_unchanged()
    {
        var name = Unique.Name("stable");
        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url("stable"), "Stable", Tags: ["keep"]));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url("moved"), "Moved", Tags: ["new", "bad tag"])));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertMcpServerAsync(new McpServerRegistration(name, new Uri("ftp://example.org/"), "Moved", Tags: [])));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertMcpServerAsync(new McpServerRegistration(name, Url("moved"), "nul\0", Tags: [])));

        AssertSameServer(server, await Db.GetMcpServerAsync(server.Id));
    }

    public static TheoryData<string?> InvalidNames => new()
    {
        null,
        "",
        "   ",
        new string('n', 10_000),
        "nul\0name",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task GetMcpServerByNameAsync_rejects_an_invalid_name(string? name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetMcpServerByNameAsync(name!));
    }
}
