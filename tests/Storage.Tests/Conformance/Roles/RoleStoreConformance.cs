using System.Globalization;
using System.Text;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Roles;

public abstract class RoleStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private static readonly string[] NoPermissions = [];

    private IDatabaseProvider Db => fixture.Provider;

    [Fact]
    public async Task CreateRoleAsync_returns_the_stored_role_with_version_1()
    {
        var name = Unique.Name("Auditors");

        var role = await Db.CreateRoleAsync(new NewRole(name, "Reads the audit log", ["users.read", "audit.read"]));

        Assert.NotEqual(Guid.Empty, role.Id);
        Assert.Equal(7, role.Id.Version);
        Assert.Equal(name, role.Name);
        Assert.Equal("Reads the audit log", role.Description);
        Assert.Equal(["audit.read", "users.read"], role.Permissions);
        Assert.False(role.IsSystem);
        Assert.Equal(1, role.Version);
        Assert.Equal(TimeSpan.Zero, role.CreatedAt.Offset);
        Assert.Equal(role.CreatedAt, role.UpdatedAt);
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
        AssertSameRole(role, await Db.GetRoleByNameAsync(name));
    }

    [Fact]
    public async Task CreateRoleAsync_keeps_permissions_distinct_in_ordinal_order()
    {
        string[] expected = ["Users.read", "Z", "a", "audit.read", "users.read", "users.write"];

        var role = await Db.CreateRoleAsync(new NewRole(
            Unique.Name("editors"),
            Permissions: ["users.write", "Users.read", "audit.read", "users.write", "users.read", "Z", "a", "users.read"]));

        Assert.Equal(expected, role.Permissions);
        Assert.Equal(expected, (await Db.GetRoleAsync(role.Id))!.Permissions);
    }

    [Fact]
    public async Task CreateRoleAsync_without_permissions_stores_an_empty_set_and_no_description()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("empty")));

        Assert.Empty(role.Permissions);
        Assert.Null(role.Description);
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
    }

    [Fact]
    public async Task CreateRoleAsync_stores_the_system_flag()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("system"), IsSystem: true));

        Assert.True(role.IsSystem);
        Assert.True((await Db.GetRoleAsync(role.Id))!.IsSystem);
    }

    [Fact]
    public async Task GetRoleAsync_returns_null_for_an_unknown_id()
    {
        Assert.Null(await Db.GetRoleAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetRoleByNameAsync_returns_null_for_an_unknown_name()
    {
        Assert.Null(await Db.GetRoleByNameAsync(Unique.Name("missing")));
    }

    [Fact]
    public async Task GetRoleByNameAsync_ignores_case()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("Help-Desk"), Permissions: ["tickets.read"]));

        AssertSameRole(role, await Db.GetRoleByNameAsync(role.Name.ToUpperInvariant()));
        AssertSameRole(role, await Db.GetRoleByNameAsync(role.Name.ToLowerInvariant()));
    }

    [Fact]
    public async Task GetRoleByNameAsync_finds_a_unicode_name_in_either_case()
    {
        var suffix = Unique.Suffix();
        var role = await Db.CreateRoleAsync(new NewRole($"Übersetzer-{suffix}"));

        Assert.Equal(role.Id, (await Db.GetRoleByNameAsync($"ÜBERSETZER-{suffix.ToUpperInvariant()}"))?.Id);
        Assert.Equal(role.Id, (await Db.GetRoleByNameAsync($"übersetzer-{suffix}"))?.Id);
    }

    [Fact]
    public async Task GetRoleByNameAsync_matches_composed_and_decomposed_forms()
    {
        var suffix = Unique.Suffix();
        var role = await Db.CreateRoleAsync(new NewRole($"Caf\u00e9-{suffix}"));

        Assert.Equal(role.Id, (await Db.GetRoleByNameAsync($"CAFE\u0301-{suffix}"))?.Id);
    }

    [Fact]
    public async Task CreateRoleAsync_rejects_a_name_that_differs_only_in_case()
    {
        var suffix = Unique.Suffix();
        var original = await Db.CreateRoleAsync(new NewRole($"operators-{suffix}", Permissions: ["ops.read"]));

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(
            () => Db.CreateRoleAsync(new NewRole($"OPERATORS-{suffix.ToUpperInvariant()}", Permissions: ["ops.write"])));

        Assert.Equal("Role", error.Entity);
        Assert.Equal("Name", error.Field);
        Assert.IsNotType<StorageException>(error.InnerException);
        AssertSameRole(original, await Db.GetRoleByNameAsync(original.Name));
    }

    [Fact]
    public async Task CreateRoleAsync_rejects_a_unicode_name_that_differs_only_in_case_or_composition()
    {
        var suffix = Unique.Suffix();
        await Db.CreateRoleAsync(new NewRole($"Prüfer-{suffix}"));

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateRoleAsync(new NewRole($"PRÜFER-{suffix}")));
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateRoleAsync(new NewRole($"Pru\u0308fer-{suffix}")));
    }

    [Fact]
    public async Task UpdateRoleAsync_saves_name_description_and_permissions_and_increments_the_version()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("before"), "Before", ["a.read", "b.read"]));
        var newName = Unique.Name("after");

        var updated = await Db.UpdateRoleAsync(role with { Name = newName, Description = "After", Permissions = ["c.write", "a.read", "c.write"] });

        Assert.Equal(role.Id, updated.Id);
        Assert.Equal(2, updated.Version);
        Assert.Equal(newName, updated.Name);
        Assert.Equal("After", updated.Description);
        Assert.Equal(["a.read", "c.write"], updated.Permissions);
        Assert.Equal(role.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= role.UpdatedAt);
        AssertSameRole(updated, await Db.GetRoleAsync(role.Id));
        Assert.Equal(role.Id, (await Db.GetRoleByNameAsync(newName))?.Id);
        Assert.Null(await Db.GetRoleByNameAsync(role.Name));
    }

    [Fact]
    public async Task UpdateRoleAsync_can_clear_the_description_and_every_permission()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("clear"), "Something", ["a.read", "b.read"]));

        var updated = await Db.UpdateRoleAsync(role with { Description = null, Permissions = NoPermissions });

        var stored = await Db.GetRoleAsync(role.Id);
        Assert.Null(stored!.Description);
        Assert.Empty(stored.Permissions);
        AssertSameRole(updated, stored);
    }

    [Fact]
    public async Task UpdateRoleAsync_may_change_only_the_case_of_the_name()
    {
        var suffix = Unique.Suffix();
        var role = await Db.CreateRoleAsync(new NewRole($"support-{suffix}"));

        var updated = await Db.UpdateRoleAsync(role with { Name = $"Support-{suffix.ToUpperInvariant()}" });

        Assert.Equal($"Support-{suffix.ToUpperInvariant()}", (await Db.GetRoleAsync(role.Id))!.Name);
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task UpdateRoleAsync_with_a_stale_version_throws_and_leaves_the_role_and_its_permissions_unchanged()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("contended"), "Original", ["original"]));
        var first = await Db.UpdateRoleAsync(role with { Description = "First writer", Permissions = ["first"] });

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Db.UpdateRoleAsync(role with { Name = Unique.Name("second"), Description = "Second writer", Permissions = ["second"] }));

        Assert.Equal("Role", error.Entity);
        Assert.Equal(role.Id.ToString(), error.Id);
        Assert.Equal(1, error.ExpectedVersion);
        AssertSameRole(first, await Db.GetRoleAsync(role.Id));
    }

    [Fact]
    public async Task UpdateRoleAsync_of_a_deleted_role_throws_a_concurrency_conflict()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("ghost")));
        await Db.DeleteRoleAsync(role.Id);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.UpdateRoleAsync(role with { Permissions = ["haunt"] }));
        Assert.Null(await Db.GetRoleAsync(role.Id));
    }

    [Fact]
    public async Task UpdateRoleAsync_to_another_roles_name_throws_a_duplicate_and_changes_nothing()
    {
        var taken = await Db.CreateRoleAsync(new NewRole(Unique.Name("taken")));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("mover"), "Unchanged", ["keep"]));

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(
            () => Db.UpdateRoleAsync(role with { Name = taken.Name.ToUpperInvariant(), Description = "Changed", Permissions = ["lost"] }));

        Assert.Equal("Role", error.Entity);
        Assert.Equal("Name", error.Field);
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
        AssertSameRole(taken, await Db.GetRoleAsync(taken.Id));
    }

    [Fact]
    public async Task UpdateRoleAsync_does_not_change_the_system_flag()
    {
        var plain = await Db.CreateRoleAsync(new NewRole(Unique.Name("plain")));
        var system = await Db.CreateRoleAsync(new NewRole(Unique.Name("system"), IsSystem: true));

        await Db.UpdateRoleAsync(plain with { IsSystem = true });
        await Db.UpdateRoleAsync(system with { IsSystem = false });

        Assert.False((await Db.GetRoleAsync(plain.Id))!.IsSystem);
        Assert.True((await Db.GetRoleAsync(system.Id))!.IsSystem);
        await Assert.ThrowsAsync<ProtectedEntityException>(() => Db.DeleteRoleAsync(system.Id));
        Assert.True(await Db.DeleteRoleAsync(plain.Id));
    }

    [Fact]
    public async Task DeleteRoleAsync_returns_true_once_and_then_false_and_frees_the_name()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("doomed"), Permissions: ["x"]));

        Assert.True(await Db.DeleteRoleAsync(role.Id));
        Assert.False(await Db.DeleteRoleAsync(role.Id));
        Assert.Null(await Db.GetRoleAsync(role.Id));
        Assert.Null(await Db.GetRoleByNameAsync(role.Name));

        var again = await Db.CreateRoleAsync(new NewRole(role.Name));
        Assert.NotEqual(role.Id, again.Id);
        Assert.Empty(again.Permissions);
    }

    [Fact]
    public async Task DeleteRoleAsync_returns_false_for_an_unknown_id()
    {
        Assert.False(await Db.DeleteRoleAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task DeleteRoleAsync_refuses_a_system_role_and_keeps_it_with_its_assignments()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("admins"), Permissions: ["everything"], IsSystem: true));
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        await Db.AssignRoleAsync(user.Id, role.Id);
        var group = Unique.Name("CN=Admins");
        await Db.UpsertDirectoryMappingAsync(group, role.Id);

        var error = await Assert.ThrowsAsync<ProtectedEntityException>(() => Db.DeleteRoleAsync(role.Id));

        Assert.Equal("Role", error.Entity);
        Assert.Equal(role.Id.ToString(), error.Id);
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
        Assert.Equal([role.Id], (await Db.GetUserRolesAsync(user.Id)).Select(r => r.Id));
        Assert.Equal([role.Id], (await Db.GetRolesForGroupsAsync([group])).Select(r => r.Id));
    }

    [Fact]
    public async Task DeleteRoleAsync_removes_the_roles_assignments_and_directory_mappings_but_not_the_users()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("temporary"), Permissions: ["temp.read"]));
        var kept = await Db.CreateRoleAsync(new NewRole(Unique.Name("kept"), Permissions: ["kept.read"]));
        await Db.AssignRoleAsync(user.Id, role.Id);
        await Db.AssignRoleAsync(user.Id, kept.Id);
        var group = Unique.Name("CN=Temps");
        var mapping = await Db.UpsertDirectoryMappingAsync(group, role.Id);
        await Db.UpsertDirectoryMappingAsync(group, kept.Id);

        Assert.True(await Db.DeleteRoleAsync(role.Id));

        Assert.Equal(user, await Db.GetUserAsync(user.Id));
        Assert.Equal([kept.Id], (await Db.GetUserRolesAsync(user.Id)).Select(r => r.Id));
        Assert.Equal(["kept.read"], await Db.GetEffectivePermissionsAsync(user.Id));
        Assert.Empty((await Db.GetUsersInRoleAsync(role.Id, PageRequest.First)).Items);
        Assert.Equal([kept.Id], (await Db.GetRolesForGroupsAsync([group])).Select(r => r.Id));
        Assert.False(await Db.DeleteDirectoryMappingAsync(mapping.Id));
    }

    [Fact]
    public async Task ListRolesAsync_returns_every_role_exactly_once_in_name_order_while_roles_are_inserted_between_pages()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var expected = new Dictionary<Guid, IReadOnlyList<string>>();

        // Created against name order and in mixed case, so that name order is neither creation order nor case-sensitive order.
        for (var i = 24; i >= 0; i--)
        {
            var name = (i % 2 == 0 ? "M-" : "m-") + i.ToString("D2", CultureInfo.InvariantCulture);
            var role = await db.CreateRoleAsync(new NewRole(name, Permissions: [$"p{i}.read", $"p{i}.write", "shared"]));
            expected.Add(role.Id, role.Permissions);
        }

        var seen = new List<Role>();
        var page = new PageRequest(7);
        for (var pages = 1; ; pages++)
        {
            var result = await db.ListRolesAsync(page);
            seen.AddRange(result.Items);
            Assert.True(result.Items.Count <= 7);
            if (result.NextCursor is null)
            {
                break;
            }

            // A writer adds a role that sorts before the cursor and one that sorts after every role between two pages.
            await db.CreateRoleAsync(new NewRole($"a-late-{pages}"));
            var late = await db.CreateRoleAsync(new NewRole($"z-late-{pages}", Permissions: ["late"]));
            expected.Add(late.Id, late.Permissions);
            page = page.Next(result.NextCursor);
        }

        var seenIds = seen.Select(r => r.Id).ToList();
        Assert.Equal(seenIds.Count, seenIds.Distinct().Count());
        Assert.Subset(seenIds.ToHashSet(), expected.Keys.ToHashSet());
        Assert.Equal(seen.Select(r => r.Name).OrderBy(NameKey, StringComparer.Ordinal), seen.Select(r => r.Name));
        foreach (var role in seen.Where(r => expected.ContainsKey(r.Id)))
        {
            Assert.Equal(expected[role.Id], role.Permissions);
        }
    }

    [Fact]
    public async Task ListRolesAsync_orders_by_the_upper_case_name_in_ordinal_order_on_every_engine()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        string[] expected = ["10", "9", "a b", "A-c", "aB", "a_b", "b", "Z", "äa", "Äx"];
        foreach (var name in new[] { "b", "Äx", "A-c", "a_b", "Z", "aB", "äa", "a b", "9", "10" })
        {
            await db.CreateRoleAsync(new NewRole(name));
        }

        var names = new List<string>();
        var page = new PageRequest(3);
        while (true)
        {
            var result = await db.ListRolesAsync(page);
            names.AddRange(result.Items.Select(r => r.Name));
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task ListRolesAsync_rejects_a_cursor_from_another_list()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("cursor")));
        await Db.UpsertDirectoryMappingAsync(Unique.Name("CN=One"), role.Id);
        await Db.UpsertDirectoryMappingAsync(Unique.Name("CN=Two"), role.Id);
        var mappings = await Db.ListDirectoryMappingsAsync(new PageRequest(1));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListRolesAsync(new PageRequest(1, mappings.NextCursor)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.ListRolesAsync(new PageRequest(1, "not-a-cursor")));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.ListRolesAsync(null!));
    }

    [Fact]
    public async Task AssignRoleAsync_returns_true_for_a_new_assignment_and_false_when_it_exists()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("readers"), Permissions: ["read"]));

        Assert.True(await Db.AssignRoleAsync(user.Id, role.Id));
        Assert.False(await Db.AssignRoleAsync(user.Id, role.Id));

        Assert.Equal([role.Id], (await Db.GetUserRolesAsync(user.Id)).Select(r => r.Id));
        Assert.Equal([user.Id], (await Db.GetUsersInRoleAsync(role.Id, PageRequest.First)).Items.Select(u => u.Id));
    }

    [Fact]
    public async Task AssignRoleAsync_called_concurrently_reports_one_new_assignment()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("racers")));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Db.AssignRoleAsync(user.Id, role.Id))));

        Assert.Single(results, r => r);
        Assert.Equal([role.Id], (await Db.GetUserRolesAsync(user.Id)).Select(r => r.Id));
    }

    [Fact]
    public async Task AssignRoleAsync_to_an_unknown_user_throws_and_writes_nothing()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("orphan")));
        var userId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.AssignRoleAsync(userId, role.Id));

        Assert.Equal("User", error.Entity);
        Assert.Equal(userId.ToString(), error.Id);
        Assert.Empty((await Db.GetUsersInRoleAsync(role.Id, PageRequest.First)).Items);
        Assert.Empty(await Db.GetUserRolesAsync(userId));
    }

    [Fact]
    public async Task AssignRoleAsync_of_an_unknown_role_throws_and_writes_nothing()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var roleId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.AssignRoleAsync(user.Id, roleId));

        Assert.Equal("Role", error.Entity);
        Assert.Equal(roleId.ToString(), error.Id);
        Assert.Empty(await Db.GetUserRolesAsync(user.Id));
        Assert.Equal(user, await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task RevokeRoleAsync_returns_true_once_and_then_false()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("revoked"), Permissions: ["gone"]));
        var other = await Db.CreateRoleAsync(new NewRole(Unique.Name("never")));
        await Db.AssignRoleAsync(user.Id, role.Id);

        Assert.False(await Db.RevokeRoleAsync(user.Id, other.Id));
        Assert.True(await Db.RevokeRoleAsync(user.Id, role.Id));
        Assert.False(await Db.RevokeRoleAsync(user.Id, role.Id));

        Assert.Empty(await Db.GetUserRolesAsync(user.Id));
        Assert.Empty((await Db.GetUsersInRoleAsync(role.Id, PageRequest.First)).Items);
        Assert.NotNull(await Db.GetRoleAsync(role.Id));
        Assert.NotNull(await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task RevokeRoleAsync_returns_false_for_an_unknown_user_or_role()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("unknown")));

        Assert.False(await Db.RevokeRoleAsync(Guid.NewGuid(), role.Id));
        Assert.False(await Db.RevokeRoleAsync(user.Id, Guid.NewGuid()));
    }

    [Fact]
    public async Task GetUserRolesAsync_returns_the_users_roles_in_name_order_with_their_permissions()
    {
        var suffix = Unique.Suffix();
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var c = await Db.CreateRoleAsync(new NewRole($"c-{suffix}", Permissions: ["c.read", "c.write"]));
        var a = await Db.CreateRoleAsync(new NewRole($"A-{suffix}", Permissions: ["a.read"]));
        var b = await Db.CreateRoleAsync(new NewRole($"b-{suffix}"));
        await Db.CreateRoleAsync(new NewRole($"B2-{suffix}", Permissions: ["not.held"]));
        await Db.AssignRoleAsync(user.Id, c.Id);
        await Db.AssignRoleAsync(user.Id, a.Id);
        await Db.AssignRoleAsync(user.Id, b.Id);

        var roles = await Db.GetUserRolesAsync(user.Id);

        Assert.Equal(3, roles.Count);
        AssertSameRole(a, roles[0]);
        AssertSameRole(b, roles[1]);
        AssertSameRole(c, roles[2]);
    }

    [Fact]
    public async Task GetUserRolesAsync_returns_an_empty_list_for_an_unknown_user_or_a_user_without_roles()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));

        Assert.Empty(await Db.GetUserRolesAsync(user.Id));
        Assert.Empty(await Db.GetUserRolesAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetUsersInRoleAsync_pages_through_every_holder_once_in_creation_order()
    {
        // A clock a second apart per user, so that creation order is unambiguous.
        var clock = new FixedTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var role = await db.CreateRoleAsync(new NewRole(Unique.Name("members")));
        var holders = new List<User>();
        for (var i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var user = await db.CreateUserAsync(new NewUser(Unique.Email($"m{i}")));
            holders.Add(user);
            await db.CreateUserAsync(new NewUser(Unique.Email("bystander")));
        }

        // Assigned against creation order: the list follows the users, not the assignments.
        foreach (var user in Enumerable.Reverse(holders))
        {
            await db.AssignRoleAsync(user.Id, role.Id);
        }

        var seen = new List<User>();
        var page = new PageRequest(2);
        while (true)
        {
            var result = await db.GetUsersInRoleAsync(role.Id, page);
            Assert.True(result.Items.Count <= 2);
            seen.AddRange(result.Items);
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(holders, seen);
    }

    [Fact]
    public async Task GetUsersInRoleAsync_returns_an_empty_page_for_an_unknown_role()
    {
        var page = await Db.GetUsersInRoleAsync(Guid.NewGuid(), PageRequest.First);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task GetUsersInRoleAsync_rejects_a_cursor_from_another_role()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("first")));
        var other = await Db.CreateRoleAsync(new NewRole(Unique.Name("second")));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
            await Db.AssignRoleAsync(user.Id, role.Id);
            await Db.AssignRoleAsync(user.Id, other.Id);
        }

        var first = await Db.GetUsersInRoleAsync(role.Id, new PageRequest(1));

        Assert.NotNull(first.NextCursor);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.GetUsersInRoleAsync(other.Id, new PageRequest(1, first.NextCursor)));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.GetUsersInRoleAsync(role.Id, null!));
    }

    [Fact]
    public async Task GetEffectivePermissionsAsync_returns_the_union_of_the_permissions_of_the_users_roles()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var first = await Db.CreateRoleAsync(new NewRole(Unique.Name("first"), Permissions: ["a.read", "b.read"]));
        var second = await Db.CreateRoleAsync(new NewRole(Unique.Name("second"), Permissions: ["b.read", "B.READ", "c.write"]));
        var empty = await Db.CreateRoleAsync(new NewRole(Unique.Name("empty")));
        await Db.CreateRoleAsync(new NewRole(Unique.Name("not-held"), Permissions: ["d.delete"]));
        await Db.AssignRoleAsync(user.Id, first.Id);
        await Db.AssignRoleAsync(user.Id, second.Id);
        await Db.AssignRoleAsync(user.Id, empty.Id);

        var permissions = await Db.GetEffectivePermissionsAsync(user.Id);

        Assert.Equal(["B.READ", "a.read", "b.read", "c.write"], permissions.Order(StringComparer.Ordinal));
        Assert.False(permissions.Contains("A.READ"));
    }

    [Fact]
    public async Task GetEffectivePermissionsAsync_is_empty_for_an_unknown_user_and_after_the_last_role_is_revoked()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("brief"), Permissions: ["x.read"]));
        await Db.AssignRoleAsync(user.Id, role.Id);
        Assert.Equal(["x.read"], await Db.GetEffectivePermissionsAsync(user.Id));

        await Db.RevokeRoleAsync(user.Id, role.Id);

        Assert.Empty(await Db.GetEffectivePermissionsAsync(user.Id));
        Assert.Empty(await Db.GetEffectivePermissionsAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetEffectivePermissionsAsync_follows_a_change_to_a_roles_permissions()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("changing"), Permissions: ["old.read"]));
        await Db.AssignRoleAsync(user.Id, role.Id);

        await Db.UpdateRoleAsync(role with { Permissions = ["new.read", "new.write"] });

        Assert.Equal(["new.read", "new.write"], (await Db.GetEffectivePermissionsAsync(user.Id)).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string?> InvalidNames => new()
    {
        null,
        "",
        "   ",
        new string('r', 101),
        new string('r', 10_000),
        "nul\0byte",
        "line\nbreak",
        "tab\tinside",
        " leading",
        "trailing ",
        "\u00a0no-break-space",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task CreateRoleAsync_and_UpdateRoleAsync_reject_an_invalid_name_before_writing_anything(string? name)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var existing = await db.CreateRoleAsync(new NewRole("existing", "Kept", ["keep"]));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateRoleAsync(new NewRole(name!, Permissions: ["new"])));
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => db.UpdateRoleAsync(existing with { Name = name!, Description = "Changed", Permissions = ["changed"] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.GetRoleByNameAsync(name!));

        AssertSameRole(existing, Assert.Single((await db.ListRolesAsync(PageRequest.First)).Items));
    }

    public static TheoryData<string?> InvalidPermissions => new()
    {
        null,
        "",
        "   ",
        "has space",
        "tab\tinside",
        "line\nbreak",
        "no-break\u00a0space",
        " leading",
        "trailing ",
        "nul\0byte",
        new string('p', 201),
        new string('p', 10_000),
    };

    [Theory]
    [MemberData(nameof(InvalidPermissions))]
    public async Task CreateRoleAsync_and_UpdateRoleAsync_reject_an_invalid_permission_before_writing_anything(string? permission)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var existing = await db.CreateRoleAsync(new NewRole("existing", "Kept", ["keep"]));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateRoleAsync(new NewRole("fresh", Permissions: ["valid", permission!])));
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => db.UpdateRoleAsync(existing with { Description = "Changed", Permissions = ["valid", permission!] }));

        AssertSameRole(existing, Assert.Single((await db.ListRolesAsync(PageRequest.First)).Items));
    }

    [Fact]
    public async Task CreateRoleAsync_accepts_the_longest_name_description_and_permission_allowed()
    {
        var prefix = Unique.Name();
        var name = prefix + new string('n', 100 - prefix.Length);
        var description = new string('d', 1000);
        var permission = new string('p', 200);

        var role = await Db.CreateRoleAsync(new NewRole(name, description, [permission]));

        Assert.Equal(100, name.Length);
        AssertSameRole(role, await Db.GetRoleByNameAsync(name));
        Assert.Equal(description, role.Description);
        Assert.Equal([permission], role.Permissions);
    }

    [Fact]
    public async Task CreateRoleAsync_accepts_1000_permissions_and_rejects_1001()
    {
        var permissions = Enumerable.Range(0, 1001).Select(i => $"perm.{i:D4}").ToList();
        var rejected = Unique.Name("too-many");

        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("many"), Permissions: permissions.Take(1000)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateRoleAsync(new NewRole(rejected, Permissions: permissions)));

        Assert.Equal(permissions.Take(1000), (await Db.GetRoleAsync(role.Id))!.Permissions);
        Assert.Null(await Db.GetRoleByNameAsync(rejected));
    }

    [Fact]
    public async Task CreateRoleAsync_rejects_a_bad_description_or_a_null_role_before_writing_anything()
    {
        var name = Unique.Name("described");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateRoleAsync(new NewRole(name, new string('d', 1001))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateRoleAsync(new NewRole(name, new string('d', 10_000))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateRoleAsync(new NewRole(name, "nul\0byte")));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.CreateRoleAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.UpdateRoleAsync(null!));

        Assert.Null(await Db.GetRoleByNameAsync(name));
    }

    [Fact]
    public async Task UpdateRoleAsync_rejects_a_bad_description_and_changes_nothing()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("steady"), "Steady", ["keep"]));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpdateRoleAsync(role with { Description = new string('d', 1001), Permissions = ["lost"] }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.UpdateRoleAsync(role with { Description = "nul\0byte" }));

        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
    }

    [Theory]
    [InlineData("'); DROP TABLE roles;--")]
    [InlineData("Robert\"); DELETE FROM role_permissions; --")]
    [InlineData("x' OR '1'='1")]
    [InlineData("back\\slash \"quoted\" 'single'")]
    [InlineData("名前 🚀 ∑")]
    public async Task CreateRoleAsync_stores_and_returns_unusual_names_and_descriptions_exactly(string text)
    {
        var role = await Db.CreateRoleAsync(new NewRole(text, text, ["'\");DROP/**/TABLE/**/role_permissions;--"]));

        var byName = await Db.GetRoleByNameAsync(text);

        Assert.Equal(text, byName!.Name);
        Assert.Equal(text, byName.Description);
        Assert.Equal(["'\");DROP/**/TABLE/**/role_permissions;--"], byName.Permissions);
        AssertSameRole(role, await Db.GetRoleAsync(role.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  padded  ")]
    [InlineData("first line\nsecond line\r\n\tindented")]
    [InlineData("'); DELETE FROM roles;--")]
    public async Task CreateRoleAsync_keeps_a_description_exactly_as_given(string description)
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("kept"), description));

        Assert.Equal(description, (await Db.GetRoleAsync(role.Id))!.Description);
    }

    [Fact]
    public async Task CreateRoleAsync_stores_permissions_with_quotes_backslashes_and_unicode_exactly()
    {
        string[] permissions = ["quote\"d", "back\\slash", "it's", "ünïcödé", "emoji🚀", "json[\"array\"]", "{\"a\":1}", "%_wild*"];

        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("odd"), Permissions: permissions));

        Assert.Equal(permissions.Order(StringComparer.Ordinal), (await Db.GetRoleAsync(role.Id))!.Permissions);
    }

    private static string NameKey(string name) => name.Normalize(NormalizationForm.FormC).ToUpperInvariant();

    private static void AssertSameRole(Role expected, Role? actual)
    {
        Assert.NotNull(actual);

        // Records compare lists by reference: compare the permissions as sequences and the rest as a record.
        Assert.Equal(expected.Permissions, actual.Permissions);
        Assert.Equal(expected with { Permissions = NoPermissions }, actual with { Permissions = NoPermissions });
    }

    [Fact]
    public async Task UpdateRoleAsync_returns_the_stored_role_even_when_the_caller_changed_the_system_flag()
    {
        var role = await fixture.Provider.CreateRoleAsync(new NewRole(Unique.Name("plain"), Permissions: ["read"]));

        var returned = await fixture.Provider.UpdateRoleAsync(role with { IsSystem = true, CreatedAt = role.CreatedAt.AddDays(-1) });
        var stored = await fixture.Provider.GetRoleAsync(role.Id);

        Assert.False(returned.IsSystem);
        Assert.Equal(stored!.CreatedAt, returned.CreatedAt);
        Assert.Equal(stored.Version, returned.Version);
        Assert.Equal(stored.Permissions, returned.Permissions);
    }

    [Fact]
    public async Task AssignRoleAsync_refuses_a_role_beyond_the_per_user_limit_but_reassigning_a_held_role_still_succeeds()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var held = new List<Role>();
        for (var i = 0; i < IRoleStore.MaxRolesPerUser; i++)
        {
            held.Add(await Db.CreateRoleAsync(new NewRole(Unique.Name("bounded"))));
            Assert.True(await Db.AssignRoleAsync(user.Id, held[^1].Id));
        }

        var extra = await Db.CreateRoleAsync(new NewRole(Unique.Name("extra")));

        var error = await Assert.ThrowsAsync<LimitExceededException>(() => Db.AssignRoleAsync(user.Id, extra.Id));
        Assert.Equal(IRoleStore.MaxRolesPerUser, error.Limit);
        Assert.False(await Db.AssignRoleAsync(user.Id, held[0].Id));
        Assert.Equal(IRoleStore.MaxRolesPerUser, (await Db.GetUserRolesAsync(user.Id)).Count);
        Assert.DoesNotContain(await Db.GetUserRolesAsync(user.Id), r => r.Id == extra.Id);

        Assert.True(await Db.RevokeRoleAsync(user.Id, held[0].Id));
        Assert.True(await Db.AssignRoleAsync(user.Id, extra.Id));
    }
}
