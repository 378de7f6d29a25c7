using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.DirectoryMappings;

public abstract class DirectoryMappingStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private static readonly string[] NoPermissions = [];

    private IDatabaseProvider Db => fixture.Provider;

    [Fact]
    public async Task UpsertDirectoryMappingAsync_creates_a_mapping()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("engineers"), Permissions: ["repo.read"]));
        var group = $"CN=Engineers-{Unique.Suffix()},OU=Groups,DC=example,DC=org";

        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id, "All engineers");

        Assert.NotEqual(Guid.Empty, mapping.Id);
        Assert.Equal(7, mapping.Id.Version);
        Assert.Equal(group, mapping.Group);
        Assert.Equal(role.Id, mapping.RoleId);
        Assert.Equal("All engineers", mapping.Description);
        Assert.Equal(TimeSpan.Zero, mapping.CreatedAt.Offset);
        Assert.Equal(mapping.CreatedAt, mapping.UpdatedAt);
        Assert.Equal(mapping, Assert.Single(await MappingsOfRoleAsync(Db, role.Id)));
        AssertSameRole(role, Assert.Single(await Db.GetRolesForGroupsAsync([group])));
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_of_the_same_group_in_another_case_keeps_the_id_and_updates_the_description()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2032, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var role = await db.CreateRoleAsync(new NewRole(Unique.Name("ops")));
        var group = $"CN=Ops-{Unique.Suffix()},DC=example,DC=org";
        var created = await db.UpsertDirectoryMappingAsync(group, role.Id, "First note");
        clock.Advance(TimeSpan.FromMinutes(5));

        var saved = await db.UpsertDirectoryMappingAsync(group.ToUpperInvariant(), role.Id, "Second note");

        Assert.Equal(created.Id, saved.Id);
        Assert.Equal(role.Id, saved.RoleId);
        Assert.Equal("Second note", saved.Description);
        Assert.Equal(group, saved.Group, ignoreCase: true);
        Assert.Equal(created.CreatedAt, saved.CreatedAt);
        Assert.Equal(created.UpdatedAt + TimeSpan.FromMinutes(5), saved.UpdatedAt);
        Assert.Equal(saved, Assert.Single(await MappingsOfRoleAsync(db, role.Id)));
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_again_without_a_description_clears_it()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("noted")));
        var group = Unique.Name("CN=Noted");
        var created = await Db.UpsertDirectoryMappingAsync(group, role.Id, "A note");

        var saved = await Db.UpsertDirectoryMappingAsync(group, role.Id);

        Assert.Equal(created.Id, saved.Id);
        Assert.Null(saved.Description);
        Assert.Null(Assert.Single(await MappingsOfRoleAsync(Db, role.Id)).Description);
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_maps_one_group_to_two_roles_as_two_mappings()
    {
        var suffix = Unique.Suffix();
        var readers = await Db.CreateRoleAsync(new NewRole($"readers-{suffix}", Permissions: ["read"]));
        var writers = await Db.CreateRoleAsync(new NewRole($"writers-{suffix}", Permissions: ["write"]));
        var group = $"CN=Staff-{suffix}";

        var toWriters = await Db.UpsertDirectoryMappingAsync(group, writers.Id);
        var toReaders = await Db.UpsertDirectoryMappingAsync(group.ToLowerInvariant(), readers.Id);

        Assert.NotEqual(toWriters.Id, toReaders.Id);
        Assert.Equal(toWriters, Assert.Single(await MappingsOfRoleAsync(Db, writers.Id)));
        Assert.Equal(toReaders, Assert.Single(await MappingsOfRoleAsync(Db, readers.Id)));
        var roles = await Db.GetRolesForGroupsAsync([group]);
        Assert.Equal([readers.Id, writers.Id], roles.Select(r => r.Id));
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_called_concurrently_for_one_group_and_role_creates_one_mapping()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("racers")));
        var group = Unique.Name("CN=Racers");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(
            i => Task.Run(() => Db.UpsertDirectoryMappingAsync(i % 2 == 0 ? group : group.ToUpperInvariant(), role.Id, $"writer {i}"))));

        var stored = Assert.Single(await MappingsOfRoleAsync(Db, role.Id));
        Assert.All(results, r => Assert.Equal(stored.Id, r.Id));
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_for_an_unknown_role_throws_and_writes_nothing()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var roleId = Guid.NewGuid();
        var group = Unique.Name("CN=Nobody");

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => db.UpsertDirectoryMappingAsync(group, roleId, "note"));

        Assert.Equal("Role", error.Entity);
        Assert.Equal(roleId.ToString(), error.Id);
        Assert.Empty((await db.ListDirectoryMappingsAsync(PageRequest.First)).Items);
        Assert.Empty(await db.GetRolesForGroupsAsync([group]));
    }

    [Fact]
    public async Task DeleteDirectoryMappingAsync_returns_true_once_and_then_false_and_keeps_the_role()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("mapped")));
        var group = Unique.Name("CN=Mapped");
        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id);

        Assert.True(await Db.DeleteDirectoryMappingAsync(mapping.Id));
        Assert.False(await Db.DeleteDirectoryMappingAsync(mapping.Id));

        Assert.Empty(await Db.GetRolesForGroupsAsync([group]));
        Assert.Empty(await MappingsOfRoleAsync(Db, role.Id));
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
    }

    [Fact]
    public async Task DeleteDirectoryMappingAsync_returns_false_for_an_unknown_id()
    {
        Assert.False(await Db.DeleteDirectoryMappingAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task DeleteRoleAsync_drops_the_roles_mappings_and_only_those()
    {
        var doomed = await Db.CreateRoleAsync(new NewRole(Unique.Name("doomed")));
        var kept = await Db.CreateRoleAsync(new NewRole(Unique.Name("kept")));
        var group = Unique.Name("CN=Shared");
        var doomedMapping = await Db.UpsertDirectoryMappingAsync(group, doomed.Id);
        var otherDoomedMapping = await Db.UpsertDirectoryMappingAsync(Unique.Name("CN=Other"), doomed.Id);
        var keptMapping = await Db.UpsertDirectoryMappingAsync(group, kept.Id);

        Assert.True(await Db.DeleteRoleAsync(doomed.Id));

        Assert.Empty(await MappingsOfRoleAsync(Db, doomed.Id));
        Assert.False(await Db.DeleteDirectoryMappingAsync(doomedMapping.Id));
        Assert.False(await Db.DeleteDirectoryMappingAsync(otherDoomedMapping.Id));
        Assert.Equal(keptMapping, Assert.Single(await MappingsOfRoleAsync(Db, kept.Id)));
        Assert.Equal([kept.Id], (await Db.GetRolesForGroupsAsync([group])).Select(r => r.Id));
    }

    [Fact]
    public async Task ListDirectoryMappingsAsync_returns_every_mapping_exactly_once_in_creation_order_while_mappings_are_inserted_between_pages()
    {
        var url = await fixture.CreateDatabaseAsync();

        // A clock a second apart per write, so that creation order is unambiguous.
        var clock = new FixedTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var db = fixture.CreateProvider(url, time: clock);
        await db.MigrateAsync();
        var role = await db.CreateRoleAsync(new NewRole("mapped"));
        var expected = new List<DirectoryGroupMapping>();
        for (var i = 0; i < 25; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            expected.Add(await db.UpsertDirectoryMappingAsync($"CN=Group-{24 - i:D2}", role.Id, $"note {i}"));
        }

        var seen = new List<DirectoryGroupMapping>();
        var page = new PageRequest(7);
        for (var pages = 1; ; pages++)
        {
            var result = await db.ListDirectoryMappingsAsync(page);
            Assert.True(result.Items.Count <= 7);
            seen.AddRange(result.Items);
            if (result.NextCursor is null)
            {
                break;
            }

            // A writer adds a mapping between every two pages; it is newer than every row so far, so it lands after the cursor.
            clock.Advance(TimeSpan.FromSeconds(1));
            expected.Add(await db.UpsertDirectoryMappingAsync($"CN=Late-{pages}", role.Id));
            page = page.Next(result.NextCursor);
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task ListDirectoryMappingsAsync_rejects_a_cursor_from_another_list()
    {
        await Db.CreateRoleAsync(new NewRole(Unique.Name("one")));
        await Db.CreateRoleAsync(new NewRole(Unique.Name("two")));
        var roles = await Db.ListRolesAsync(new PageRequest(1));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListDirectoryMappingsAsync(new PageRequest(1, roles.NextCursor)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListDirectoryMappingsAsync(new PageRequest(1, "not-a-cursor")));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.ListDirectoryMappingsAsync(null!));
    }

    [Fact]
    public async Task GetRolesForGroupsAsync_returns_the_distinct_roles_of_any_given_group_in_name_order_with_their_permissions()
    {
        var suffix = Unique.Suffix();
        var c = await Db.CreateRoleAsync(new NewRole($"c-{suffix}", Permissions: ["c.read", "c.write"]));
        var a = await Db.CreateRoleAsync(new NewRole($"A-{suffix}", Permissions: ["a.read"]));
        var b = await Db.CreateRoleAsync(new NewRole($"b-{suffix}"));
        var unrelated = await Db.CreateRoleAsync(new NewRole($"0-unrelated-{suffix}"));
        var first = $"CN=First-{suffix},DC=example,DC=org";
        var second = $"CN=Second-{suffix},DC=example,DC=org";
        var third = $"CN=Third-{suffix},DC=example,DC=org";
        await Db.UpsertDirectoryMappingAsync(first, c.Id);
        await Db.UpsertDirectoryMappingAsync(first, a.Id);
        await Db.UpsertDirectoryMappingAsync(second, a.Id);
        await Db.UpsertDirectoryMappingAsync(second, b.Id);
        await Db.UpsertDirectoryMappingAsync(third, unrelated.Id);

        var roles = await Db.GetRolesForGroupsAsync(
            [second.ToLowerInvariant(), first.ToUpperInvariant(), Unique.Name("CN=Unknown"), first, second]);

        Assert.Equal(3, roles.Count);
        AssertSameRole(a, roles[0]);
        AssertSameRole(b, roles[1]);
        AssertSameRole(c, roles[2]);
    }

    [Fact]
    public async Task GetRolesForGroupsAsync_is_empty_for_no_groups_or_unknown_groups()
    {
        Assert.Empty(await Db.GetRolesForGroupsAsync([]));
        Assert.Empty(await Db.GetRolesForGroupsAsync([Unique.Name("CN=Unknown"), Unique.Name("CN=Unmapped")]));
    }

    [Fact]
    public async Task GetRolesForGroupsAsync_matches_composed_and_decomposed_group_names()
    {
        var suffix = Unique.Suffix();
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("cafe")));
        await Db.UpsertDirectoryMappingAsync($"CN=Caf\u00e9-{suffix}", role.Id);

        Assert.Equal([role.Id], (await Db.GetRolesForGroupsAsync([$"cn=CAFE\u0301-{suffix.ToUpperInvariant()}"])).Select(r => r.Id));
    }

    [Theory]
    [InlineData("CN=Smith\\, John,OU=Users,DC=example,DC=org")]
    [InlineData("CN=\"Quoted\" Group,DC=example,DC=org")]
    [InlineData("'); DROP TABLE directory_mappings;--")]
    [InlineData("x' OR '1'='1")]
    [InlineData("[\"json\", \"array\"]")]
    [InlineData("Gruppe Ä 名前 🚀")]
    public async Task UpsertDirectoryMappingAsync_stores_unusual_group_names_exactly_and_finds_them_again(string group)
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("unusual")));

        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id, group);

        Assert.Equal(group, mapping.Group);
        Assert.Equal(group, mapping.Description);
        Assert.Equal(mapping, Assert.Single(await MappingsOfRoleAsync(Db, role.Id)));
        Assert.Equal([role.Id], (await Db.GetRolesForGroupsAsync([group])).Select(r => r.Id));
        Assert.Equal(mapping.Id, (await Db.UpsertDirectoryMappingAsync(group.ToUpperInvariant(), role.Id)).Id);
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_accepts_the_longest_group_and_description_allowed()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("long")));
        var prefix = Unique.Name("CN=");
        var group = prefix + new string('g', 1000 - prefix.Length);
        var description = new string('d', 1000);

        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id, description);

        Assert.Equal(1000, mapping.Group.Length);
        Assert.Equal(description, mapping.Description);
        Assert.Equal([role.Id], (await Db.GetRolesForGroupsAsync([group])).Select(r => r.Id));
    }

    public static TheoryData<string?> InvalidGroups => new()
    {
        null,
        "",
        "   ",
        new string('g', 1001),
        new string('g', 10_000),
        "nul\0byte",
        "line\nbreak",
        "tab\tinside",
        " leading",
        "trailing ",
    };

    [Theory]
    [MemberData(nameof(InvalidGroups))]
    public async Task UpsertDirectoryMappingAsync_and_GetRolesForGroupsAsync_reject_an_invalid_group_before_writing_anything(string? group)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var role = await db.CreateRoleAsync(new NewRole("mapped"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.UpsertDirectoryMappingAsync(group!, role.Id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.GetRolesForGroupsAsync(["CN=Valid", group!]));

        Assert.Empty((await db.ListDirectoryMappingsAsync(PageRequest.First)).Items);
    }

    [Fact]
    public async Task UpsertDirectoryMappingAsync_rejects_a_bad_description_and_changes_nothing()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("described")));
        var group = Unique.Name("CN=Described");
        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id, "Original");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertDirectoryMappingAsync(group, role.Id, new string('d', 1001)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertDirectoryMappingAsync(group, role.Id, new string('d', 10_000)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertDirectoryMappingAsync(group, role.Id, "nul\0byte"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpsertDirectoryMappingAsync(Unique.Name("CN=New"), role.Id, "nul\0byte"));

        Assert.Equal(mapping, Assert.Single(await MappingsOfRoleAsync(Db, role.Id)));
    }

    [Fact]
    public async Task GetRolesForGroupsAsync_rejects_null()
    {
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.GetRolesForGroupsAsync(null!));
    }

    [Fact]
    public async Task GetRolesForGroupsAsync_accepts_1000_groups_and_rejects_1001()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("crowd")));
        var suffix = Unique.Suffix();
        var groups = Enumerable.Range(0, 1001).Select(i => $"CN=Group-{i:D4}-{suffix}").ToList();
        await Db.UpsertDirectoryMappingAsync(groups[999], role.Id);

        Assert.Equal([role.Id], (await Db.GetRolesForGroupsAsync(groups.Take(1000))).Select(r => r.Id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetRolesForGroupsAsync(groups));
    }

    /// <summary>Every mapping of one role, read through the paged list (the test database is shared with other tests).</summary>
    private static async Task<List<DirectoryGroupMapping>> MappingsOfRoleAsync(IDatabaseProvider db, Guid roleId)
    {
        var mappings = new List<DirectoryGroupMapping>();
        var page = new PageRequest(PageRequest.MaxLimit);
        while (true)
        {
            var result = await db.ListDirectoryMappingsAsync(page);
            mappings.AddRange(result.Items.Where(m => m.RoleId == roleId));
            if (result.NextCursor is null)
            {
                return mappings;
            }

            page = page.Next(result.NextCursor);
        }
    }

    private static void AssertSameRole(Role expected, Role? actual)
    {
        Assert.NotNull(actual);

        // Records compare lists by reference: compare the permissions as sequences and the rest as a record.
        Assert.Equal(expected.Permissions, actual.Permissions);
        Assert.Equal(expected with { Permissions = NoPermissions }, actual with { Permissions = NoPermissions });
    }
}
