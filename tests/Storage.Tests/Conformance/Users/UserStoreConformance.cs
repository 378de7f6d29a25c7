using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Users;

public abstract class UserStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private IDatabaseProvider Db => fixture.Provider;

    [Fact]
    public async Task CreateUserAsync_returns_the_stored_user_with_version_1()
    {
        var email = Unique.Email();
        var user = await Db.CreateUserAsync(new NewUser(email, "Alice"));

        Assert.NotEqual(Guid.Empty, user.Id);
        Assert.Equal(7, user.Id.Version);
        Assert.Equal(email, user.Email);
        Assert.Equal("Alice", user.DisplayName);
        Assert.True(user.IsActive);
        Assert.Equal(1, user.Version);
        Assert.Equal(TimeSpan.Zero, user.CreatedAt.Offset);
        Assert.Equal(user.CreatedAt, user.UpdatedAt);
        Assert.Null(user.LastLoginAt);
        Assert.Equal(user, await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task GetUserAsync_returns_null_for_an_unknown_id()
    {
        Assert.Null(await Db.GetUserAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task GetUserByEmailAsync_returns_null_for_an_unknown_email()
    {
        Assert.Null(await Db.GetUserByEmailAsync(Unique.Email()));
    }

    [Fact]
    public async Task GetUserByEmailAsync_ignores_case()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email("Bob.Smith")));

        var found = await Db.GetUserByEmailAsync(user.Email.ToUpperInvariant());

        Assert.Equal(user, found);
    }

    [Fact]
    public async Task GetUserByEmailAsync_finds_a_unicode_email_in_either_case()
    {
        var suffix = Unique.Suffix();
        var user = await Db.CreateUserAsync(new NewUser($"älice{suffix}@exämple.org"));

        Assert.Equal(user, await Db.GetUserByEmailAsync($"ÄLICE{suffix.ToUpperInvariant()}@EXÄMPLE.ORG"));
        Assert.Equal(user, await Db.GetUserByEmailAsync($"älice{suffix}@exämple.org"));
    }

    [Fact]
    public async Task GetUserByEmailAsync_matches_composed_and_decomposed_forms()
    {
        var suffix = Unique.Suffix();
        var user = await Db.CreateUserAsync(new NewUser($"z\u00e9na{suffix}@example.org"));

        Assert.Equal(user.Id, (await Db.GetUserByEmailAsync($"ze\u0301na{suffix}@example.org"))?.Id);
    }

    [Fact]
    public async Task CreateUserAsync_rejects_an_email_that_differs_only_in_case()
    {
        var suffix = Unique.Suffix();
        await Db.CreateUserAsync(new NewUser($"carol{suffix}@example.org"));

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateUserAsync(new NewUser($"CAROL{suffix}@Example.org")));

        Assert.Equal("User", error.Entity);
        Assert.Equal("Email", error.Field);
        Assert.IsNotType<StorageException>(error.InnerException);
    }

    [Fact]
    public async Task CreateUserAsync_rejects_a_unicode_email_that_differs_only_in_case()
    {
        var suffix = Unique.Suffix();
        await Db.CreateUserAsync(new NewUser($"älice{suffix}@exämple.org"));

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateUserAsync(new NewUser($"ÄLICE{suffix}@EXÄMPLE.ORG")));
    }

    [Fact]
    public async Task UpdateUserAsync_saves_changes_and_increments_the_version()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email(), "Before"));
        var newEmail = Unique.Email("renamed");

        var updated = await Db.UpdateUserAsync(user with { DisplayName = "After", IsActive = false, Email = newEmail });

        Assert.Equal(2, updated.Version);
        Assert.Equal("After", updated.DisplayName);
        Assert.False(updated.IsActive);
        Assert.Equal(newEmail, updated.Email);
        Assert.True(updated.UpdatedAt >= user.UpdatedAt);
        Assert.Equal(user.CreatedAt, updated.CreatedAt);
        Assert.Equal(updated, await Db.GetUserAsync(user.Id));
        Assert.Equal(user.Id, (await Db.GetUserByEmailAsync(newEmail))?.Id);
        Assert.Null(await Db.GetUserByEmailAsync(user.Email));
    }

    [Fact]
    public async Task UpdateUserAsync_with_a_stale_version_throws_and_leaves_the_row_unchanged()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email(), "Original"));
        var first = await Db.UpdateUserAsync(user with { DisplayName = "First writer" });

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Db.UpdateUserAsync(user with { DisplayName = "Second writer" }));

        Assert.Equal("User", error.Entity);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(first, await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task UpdateUserAsync_of_a_deleted_user_throws_a_concurrency_conflict()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        await Db.DeleteUserAsync(user.Id);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.UpdateUserAsync(user with { DisplayName = "ghost" }));
        Assert.Null(await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task UpdateUserAsync_to_another_users_email_throws_a_duplicate_and_changes_nothing()
    {
        var taken = await Db.CreateUserAsync(new NewUser(Unique.Email("taken")));
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email("mover")));

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.UpdateUserAsync(user with { Email = taken.Email.ToUpperInvariant() }));

        Assert.Equal("Email", error.Field);
        Assert.Equal(user, await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task DeleteUserAsync_returns_true_once_and_then_false()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));

        Assert.True(await Db.DeleteUserAsync(user.Id));
        Assert.False(await Db.DeleteUserAsync(user.Id));
        Assert.Null(await Db.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task DeleteUserAsync_removes_the_users_role_assignments()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("role")));
        await Db.AssignRoleAsync(user.Id, role.Id);

        await Db.DeleteUserAsync(user.Id);

        Assert.Empty((await Db.GetUsersInRoleAsync(role.Id, PageRequest.First)).Items);
        Assert.NotNull(await Db.GetRoleAsync(role.Id));
    }

    [Fact]
    public async Task UpsertUserAsync_creates_then_updates_the_same_user_keeping_id_and_role_assignments()
    {
        var email = Unique.Email();
        var created = await Db.UpsertUserAsync(new NewUser(email, "First"));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: ["read"]));
        await Db.AssignRoleAsync(created.Id, role.Id);

        var saved = await Db.UpsertUserAsync(new NewUser(email.ToUpperInvariant(), "Second", IsActive: false));

        Assert.Equal(created.Id, saved.Id);
        Assert.Equal(email, saved.Email);
        Assert.Equal("Second", saved.DisplayName);
        Assert.False(saved.IsActive);
        Assert.Equal(2, saved.Version);
        Assert.Equal([role.Id], (await Db.GetUserRolesAsync(created.Id)).Select(r => r.Id));
        Assert.Contains("read", await Db.GetEffectivePermissionsAsync(created.Id));
    }

    [Fact]
    public async Task RecordLoginAsync_sets_the_last_login_without_changing_the_version()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));

        Assert.True(await Db.RecordLoginAsync(user.Id));

        var read = await Db.GetUserAsync(user.Id);
        Assert.NotNull(read!.LastLoginAt);
        Assert.Equal(1, read.Version);
        Assert.False(await Db.RecordLoginAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Times_are_stored_in_utc_truncated_to_whole_microseconds()
    {
        // 7 fractional digits and a +05:30 offset in; UTC and 6 digits out.
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(5.5)).AddTicks(1234567));
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var expected = new DateTimeOffset(2026, 3, 3, 23, 36, 7, TimeSpan.Zero).AddTicks(1234560);

        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var read = await db.GetUserAsync(user.Id);

        Assert.Equal(expected, user.CreatedAt);
        Assert.Equal(TimeSpan.Zero, user.CreatedAt.Offset);
        Assert.Equal(expected.UtcTicks, read!.CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(expected, read.UpdatedAt);
    }

    [Fact]
    public async Task ListUsersAsync_returns_every_row_exactly_once_while_rows_are_inserted_between_pages()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var expected = new HashSet<Guid>();
        for (var i = 0; i < 25; i++)
        {
            expected.Add((await db.CreateUserAsync(new NewUser(Unique.Email($"u{i}")))).Id);
        }

        var seen = new List<Guid>();
        var page = new PageRequest(7);
        while (true)
        {
            var result = await db.ListUsersAsync(UserQuery.All, page);
            seen.AddRange(result.Items.Select(u => u.Id));
            Assert.True(result.Items.Count <= 7);

            // A writer adds a user between every two pages; ids are time-ordered, so it lands after the cursor.
            expected.Add((await db.CreateUserAsync(new NewUser(Unique.Email("late")))).Id);
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(expected, seen.ToHashSet());
        Assert.True(seen.Count >= 25);
        Assert.Equal(seen.Order().ToList(), seen);
    }

    [Fact]
    public async Task ListUsersAsync_and_CountUsersAsync_filter_by_search_text_and_active_flag()
    {
        var marker = Unique.Suffix();
        await Db.CreateUserAsync(new NewUser($"one.{marker}@example.org"));
        await Db.CreateUserAsync(new NewUser($"TWO.{marker}@example.org", IsActive: false));
        await Db.CreateUserAsync(new NewUser($"three.{marker}@example.org"));
        await Db.CreateUserAsync(new NewUser(Unique.Email("other")));

        var query = new UserQuery(Search: marker.ToUpperInvariant());
        Assert.Equal(3, await Db.CountUsersAsync(query));
        Assert.Equal(3, (await Db.ListUsersAsync(query, PageRequest.First)).Items.Count);
        Assert.Equal(2, await Db.CountUsersAsync(query with { IsActive = true }));
        Assert.Equal(["two"], (await Db.ListUsersAsync(query with { IsActive = false }, PageRequest.First)).Items.Select(u => u.Email[..3].ToLowerInvariant()));
    }

    [Fact]
    public async Task ListUsersAsync_treats_like_wildcards_in_the_search_as_plain_text()
    {
        var marker = Unique.Suffix();
        await Db.CreateUserAsync(new NewUser($"per_cent.{marker}@example.org"));
        await Db.CreateUserAsync(new NewUser($"perXcent.{marker}@example.org"));

        Assert.Equal(1, await Db.CountUsersAsync(new UserQuery(Search: $"per_cent.{marker}")));
        Assert.Equal(0, await Db.CountUsersAsync(new UserQuery(Search: $"%.{marker}")));
    }

    [Fact]
    public async Task ListUsersAsync_rejects_a_cursor_from_another_list()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        await db.CreateRoleAsync(new NewRole("a"));
        await db.CreateRoleAsync(new NewRole("b"));
        var roles = await db.ListRolesAsync(new PageRequest(1));

        await Assert.ThrowsAsync<ArgumentException>(() => db.ListUsersAsync(UserQuery.All, new PageRequest(1, roles.NextCursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => db.ListUsersAsync(UserQuery.All, new PageRequest(1, "not-a-cursor")));
    }

    public static TheoryData<string?> InvalidEmails => new()
    {
        null,
        "",
        "   ",
        new string('a', 10_000) + "@example.org",
        "nul\0byte@example.org",
        "'); DROP TABLE users;--",
        "'); DROP TABLE users;--@example.org",
        "no-at-sign.example.org",
        "two@@example.org",
        "@example.org",
        "user@",
        "user@.example.org",
        "user@example..org",
        "spaced user@example.org",
        "Display Name <user@example.org>",
    };

    [Theory]
    [MemberData(nameof(InvalidEmails))]
    public async Task CreateUserAsync_rejects_an_invalid_email_before_writing_anything(string? email)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateUserAsync(new NewUser(email!)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.UpsertUserAsync(new NewUser(email!)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.GetUserByEmailAsync(email!));

        Assert.Equal(0, await db.CountUsersAsync(UserQuery.All));
    }

    [Theory]
    [InlineData("'); DROP TABLE users;--")]
    [InlineData("Robert\"); DELETE FROM users; --")]
    [InlineData("名前 🚀 ∑")]
    [InlineData("  leading and trailing  ")]
    public async Task CreateUserAsync_stores_and_returns_unusual_display_names_exactly(string displayName)
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email(), displayName));

        Assert.Equal(displayName, (await Db.GetUserAsync(user.Id))!.DisplayName);
    }

    [Fact]
    public async Task CreateUserAsync_rejects_bad_display_names_before_writing_anything()
    {
        var email = Unique.Email();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateUserAsync(new NewUser(email, new string('x', 10_000))));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Db.CreateUserAsync(new NewUser(email, "nul\0")));
        await Assert.ThrowsAnyAsync<ArgumentNullException>(() => Db.CreateUserAsync(null!));

        Assert.Null(await Db.GetUserByEmailAsync(email));
    }
}
