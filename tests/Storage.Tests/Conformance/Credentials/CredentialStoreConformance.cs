using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Credentials;

public abstract class CredentialStoreConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string SqlFragment = "'); DROP TABLE credentials;--";

    private IDatabaseProvider Db => fixture.Provider;

    // ---- create and get ----

    [Fact]
    public async Task CreateCredentialAsync_returns_the_stored_credential_with_zero_counters_and_version_1()
    {
        var username = Unique.Name("svc");
        var secret = Secret();

        var credential = await Db.CreateCredentialAsync(new NewCredential(username, secret, "router admin"));

        Assert.NotEqual(Guid.Empty, credential.Id);
        Assert.Equal(7, credential.Id.Version);
        Assert.Equal(username, credential.Username);
        Assert.Equal(secret, credential.Secret);
        Assert.Equal("router admin", credential.Description);
        Assert.Equal(0, credential.SuccessCount);
        Assert.Equal(0, credential.FailureCount);
        Assert.Null(credential.LastUsedAt);
        Assert.Equal(1, credential.Version);
        Assert.Equal(TimeSpan.Zero, credential.CreatedAt.Offset);
        Assert.Equal(credential.CreatedAt, credential.UpdatedAt);
        Assert.Equal(credential, await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task CreateCredentialAsync_without_a_description_stores_null()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));

        Assert.Null(credential.Description);
        Assert.Null((await Db.GetCredentialAsync(credential.Id))!.Description);
    }

    [Fact]
    public async Task GetCredentialAsync_returns_null_for_an_unknown_id()
    {
        Assert.Null(await Db.GetCredentialAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task CreateCredentialAsync_accepts_values_at_their_maximum_lengths()
    {
        var username = new string('u', 200);
        var prefix = Secret();
        var secret = prefix + new string('s', 4000 - prefix.Length);
        fixture.RegisterSecret(secret);
        var description = new string('d', 1000);

        var credential = await Db.CreateCredentialAsync(new NewCredential(username, secret, description));

        var read = await Db.GetCredentialAsync(credential.Id);
        Assert.Equal(4000, read!.Secret.Length);
        Assert.Equal(secret, read.Secret);
        Assert.Equal(username, read.Username);
        Assert.Equal(description, read.Description);
    }

    [Theory]
    [InlineData("pässwörd 🔑 ∑ 名前")]
    [InlineData("line one\nline two\r\n\ttabbed")]
    [InlineData("  surrounding spaces  ")]
    [InlineData("x")]
    public async Task CreateCredentialAsync_stores_and_returns_unusual_secrets_exactly(string secret)
    {
        fixture.RegisterSecret(secret);

        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), secret));

        Assert.Equal(secret, (await Db.GetCredentialAsync(credential.Id))!.Secret);
    }

    [Theory]
    [InlineData("username")]
    [InlineData("secret")]
    [InlineData("description")]
    public async Task CreateCredentialAsync_stores_and_returns_a_sql_fragment_exactly(string field)
    {
        var username = field == "username" ? SqlFragment : Unique.Name("svc");
        var secret = field == "secret" ? SqlFragment : Secret();
        var description = field == "description" ? SqlFragment : null;
        fixture.RegisterSecret(secret);
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));

        var credential = await Db.CreateCredentialAsync(new NewCredential(username, secret, description));
        await Db.TagCredentialAsync(credential.Id, tag.Id, 1);

        var read = await Db.GetCredentialAsync(credential.Id);
        Assert.Equal(username, read!.Username);
        Assert.Equal(secret, read.Secret);
        Assert.Equal(description, read.Description);
        Assert.Equal(read, Assert.Single((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items).Credential);

        var updated = await Db.UpdateCredentialAsync(read with { Description = SqlFragment });
        Assert.Equal(updated, await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task CreateCredentialAsync_rejects_null()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.CreateCredentialAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.UpdateCredentialAsync(null!));
    }

    public static TheoryData<string?, string?, string?, string> InvalidCredentials => new()
    {
        { null, "valid-secret", null, "Username" },
        { "", "valid-secret", null, "Username" },
        { "   ", "valid-secret", null, "Username" },
        { new string('u', 10_000), "valid-secret", null, "Username" },
        { new string('u', 201), "valid-secret", null, "Username" },
        { "nul\0name", "valid-secret", null, "Username" },
        { " padded", "valid-secret", null, "Username" },
        { "line\nbreak", "valid-secret", null, "Username" },
        { "svc", null, null, "Secret" },
        { "svc", "", null, "Secret" },
        { "svc", "   ", null, "Secret" },
        { "svc", new string('s', 10_000), null, "Secret" },
        { "svc", new string('s', 4001), null, "Secret" },
        { "svc", "nul\0secret", null, "Secret" },
        { "svc", "valid-secret", new string('d', 1001), "Description" },
        { "svc", "valid-secret", new string('d', 10_000), "Description" },
        { "svc", "valid-secret", "nul\0description", "Description" },
    };

    [Theory]
    [MemberData(nameof(InvalidCredentials))]
    public async Task Bad_credential_input_is_rejected_before_anything_is_written(string? username, string? secret, string? description, string field)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var existingSecret = Secret();
        var existing = await db.CreateCredentialAsync(new NewCredential("existing", existingSecret, "kept"));

        var create = await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateCredentialAsync(new NewCredential(username!, secret!, description)));
        var update = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => db.UpdateCredentialAsync(existing with { Username = username!, Secret = secret!, Description = description }));

        Assert.Equal(field, create.ParamName);
        Assert.Equal(field, update.ParamName);
        var all = await db.ListCredentialsAsync(PageRequest.First);
        Assert.Equal([existing], all.Items);
        Assert.Equal(existing, await db.GetCredentialAsync(existing.Id));
    }

    [Fact]
    public async Task ToString_of_credentials_never_shows_the_secret()
    {
        var secret = Secret();
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var request = new NewCredential("svc-tostring", secret, "desc");
        var credential = await Db.CreateCredentialAsync(request);
        await Db.TagCredentialAsync(credential.Id, tag.Id, 3);
        var read = await Db.GetCredentialAsync(credential.Id);
        var tagged = Assert.Single((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items);

        Assert.DoesNotContain(secret, request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, read!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, tagged.ToString(), StringComparison.Ordinal);
        Assert.Contains("svc-tostring", credential.ToString(), StringComparison.Ordinal);
    }

    // ---- update and delete ----

    [Fact]
    public async Task UpdateCredentialAsync_saves_username_secret_and_description_and_increments_the_version()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("before"), Secret(), "before"));
        var newUsername = Unique.Name("after");
        var newSecret = Secret();

        var updated = await Db.UpdateCredentialAsync(credential with { Username = newUsername, Secret = newSecret, Description = null });

        Assert.Equal(2, updated.Version);
        Assert.Equal(newUsername, updated.Username);
        Assert.Equal(newSecret, updated.Secret);
        Assert.Null(updated.Description);
        Assert.Equal(credential.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= credential.UpdatedAt);
        Assert.Equal(updated, await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task UpdateCredentialAsync_with_a_stale_version_throws_and_leaves_the_row_unchanged()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret(), "original"));
        var first = await Db.UpdateCredentialAsync(credential with { Secret = Secret(), Description = "first writer" });

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Db.UpdateCredentialAsync(credential with { Username = "second", Secret = Secret(), Description = "second writer" }));

        Assert.Equal("Credential", error.Entity);
        Assert.Equal(credential.Id.ToString(), error.Id);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(first, await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task UpdateCredentialAsync_of_a_deleted_credential_throws_a_concurrency_conflict()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        Assert.True(await Db.DeleteCredentialAsync(credential.Id));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Db.UpdateCredentialAsync(credential with { Secret = Secret() }));
        Assert.Null(await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task UpdateCredentialAsync_keeps_the_uses_recorded_since_the_credential_was_read()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        await Db.RecordCredentialUseAsync(credential.Id, succeeded: true);
        await Db.RecordCredentialUseAsync(credential.Id, succeeded: false);
        await Db.RecordCredentialUseAsync(credential.Id, succeeded: false);

        // The caller's copy still says 0 and 0: recording a use does not change the version, and the update must not undo it.
        var updated = await Db.UpdateCredentialAsync(credential with { Description = "renamed" });

        Assert.Equal(2, updated.Version);
        Assert.Equal(1, updated.SuccessCount);
        Assert.Equal(2, updated.FailureCount);
        Assert.NotNull(updated.LastUsedAt);
        Assert.Equal(updated, await Db.GetCredentialAsync(credential.Id));
    }

    [Fact]
    public async Task DeleteCredentialAsync_returns_true_once_and_then_false()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));

        Assert.True(await Db.DeleteCredentialAsync(credential.Id));
        Assert.False(await Db.DeleteCredentialAsync(credential.Id));
        Assert.Null(await Db.GetCredentialAsync(credential.Id));
        Assert.False(await Db.DeleteCredentialAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task DeleteCredentialAsync_removes_its_tag_links_and_keeps_the_tags_and_other_credentials()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var other = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var doomed = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("doomed"), Secret()));
        var kept = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("kept"), Secret()));
        await Db.TagCredentialAsync(doomed.Id, tag.Id, 10);
        await Db.TagCredentialAsync(doomed.Id, other.Id, 10);
        await Db.TagCredentialAsync(kept.Id, tag.Id, 1);

        Assert.True(await Db.DeleteCredentialAsync(doomed.Id));

        Assert.Equal([kept.Id], ((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items).Select(t => t.Credential.Id));
        Assert.Empty((await Db.GetCredentialsForTagAsync(other.Id, PageRequest.First)).Items);
        Assert.Contains(await Db.ListCredentialTagsAsync(), t => t.Id == other.Id);

        // The link rows themselves are gone, not merely unreachable.
        Assert.Equal(0, await CountRawAsync(fixture.Url, "SELECT COUNT(*) FROM credential_tag_links WHERE credential_id = @id", ("id", doomed.Id)));
    }

    // ---- listing ----

    [Fact]
    public async Task ListCredentialsAsync_returns_every_credential_exactly_once_in_creation_order_while_credentials_are_inserted_between_pages()
    {
        // A clock that moves 1 ms per credential: ids are time-ordered, so each late credential lands after the cursor.
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url, time: clock);
        await db.MigrateAsync();
        var expected = new Dictionary<Guid, string>();
        async Task AddAsync(string name)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var secret = Secret();
            expected.Add((await db.CreateCredentialAsync(new NewCredential(name, secret))).Id, secret);
        }

        for (var i = 0; i < 25; i++)
        {
            await AddAsync($"c{i}");
        }

        var seen = new List<Credential>();
        var page = new PageRequest(7);
        while (true)
        {
            var result = await db.ListCredentialsAsync(page);
            Assert.True(result.Items.Count <= 7);
            seen.AddRange(result.Items);

            await AddAsync("late");
            if (result.NextCursor is null)
            {
                break;
            }

            page = page.Next(result.NextCursor);
        }

        var ids = seen.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Count - 1, ids.Count); // all but the one added after the last page
        Assert.Equal(ids.OrderBy(id => id.ToString(), StringComparer.Ordinal), ids);
        Assert.All(seen, c => Assert.Equal(expected[c.Id], c.Secret));
    }

    [Fact]
    public async Task ListCredentialsAsync_rejects_a_cursor_from_another_list_and_a_null_page()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        await db.CreateRoleAsync(new NewRole("a"));
        await db.CreateRoleAsync(new NewRole("b"));
        var roles = await db.ListRolesAsync(new PageRequest(1));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.ListCredentialsAsync(new PageRequest(1, roles.NextCursor)));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.ListCredentialsAsync(new PageRequest(1, "not-a-cursor")));
        await Assert.ThrowsAsync<ArgumentNullException>(() => db.ListCredentialsAsync(null!));
    }

    // ---- usage ----

    [Fact]
    public async Task RecordCredentialUseAsync_counts_successes_and_failures_and_sets_the_last_use_without_changing_the_version()
    {
        var created = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1230);
        var clock = new FixedTimeProvider(created);
        await using var db = fixture.CreateProvider(fixture.Url, time: clock);
        var credential = await db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await db.RecordCredentialUseAsync(credential.Id, succeeded: true));
        Assert.True(await db.RecordCredentialUseAsync(credential.Id, succeeded: true));
        Assert.True(await db.RecordCredentialUseAsync(credential.Id, succeeded: false));

        var read = await db.GetCredentialAsync(credential.Id);
        Assert.Equal(2, read!.SuccessCount);
        Assert.Equal(1, read.FailureCount);
        Assert.Equal(created.AddMinutes(5), read.LastUsedAt);
        Assert.Equal(1, read.Version);
        Assert.Equal(created, read.UpdatedAt);
        Assert.Equal(credential.Secret, read.Secret);
    }

    [Fact]
    public async Task RecordCredentialUseAsync_returns_false_for_an_unknown_credential()
    {
        Assert.False(await Db.RecordCredentialUseAsync(Guid.NewGuid(), succeeded: true));
        Assert.False(await Db.RecordCredentialUseAsync(Guid.NewGuid(), succeeded: false));
    }

    [Fact]
    public async Task RecordCredentialUseAsync_counts_every_one_of_many_concurrent_uses()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));

        var uses = Enumerable.Range(0, 32).Select(i => Task.Run(() => Db.RecordCredentialUseAsync(credential.Id, succeeded: i % 2 == 0)));
        var results = await Task.WhenAll(uses);

        Assert.All(results, Assert.True);
        var read = await Db.GetCredentialAsync(credential.Id);
        Assert.Equal(16, read!.SuccessCount);
        Assert.Equal(16, read.FailureCount);
        Assert.Equal(1, read.Version);
    }

    // ---- tags ----

    [Fact]
    public async Task CreateCredentialTagAsync_returns_the_stored_tag()
    {
        var name = Unique.Name("Devices");

        var tag = await Db.CreateCredentialTagAsync(name, "core switches");

        Assert.Equal(7, tag.Id.Version);
        Assert.Equal(name, tag.Name);
        Assert.Equal("core switches", tag.Description);
        Assert.Equal(TimeSpan.Zero, tag.CreatedAt.Offset);
        Assert.Equal(tag, Assert.Single(await Db.ListCredentialTagsAsync(), t => t.Id == tag.Id));
    }

    [Fact]
    public async Task CreateCredentialTagAsync_rejects_a_name_that_differs_only_in_case()
    {
        var suffix = Unique.Suffix();
        var original = await Db.CreateCredentialTagAsync($"édge-{suffix}", "first");

        var error = await Assert.ThrowsAsync<DuplicateKeyException>(() => Db.CreateCredentialTagAsync($"ÉDGE-{suffix.ToUpperInvariant()}", "second"));

        Assert.Equal("CredentialTag", error.Entity);
        Assert.Equal("Name", error.Field);
        Assert.Equal(original, Assert.Single(await Db.ListCredentialTagsAsync(), t => t.Name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)));
    }

    public static TheoryData<string?, string?> InvalidTags => new()
    {
        { null, null },
        { "", null },
        { "   ", null },
        { new string('t', 101), null },
        { new string('t', 10_000), null },
        { "nul\0tag", null },
        { " padded", null },
        { "valid-tag", new string('d', 1001) },
        { "valid-tag", "nul\0description" },
    };

    [Theory]
    [MemberData(nameof(InvalidTags))]
    public async Task CreateCredentialTagAsync_rejects_bad_input_before_writing_anything(string? name, string? description)
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => db.CreateCredentialTagAsync(name!, description));

        Assert.Empty(await db.ListCredentialTagsAsync());
    }

    [Fact]
    public async Task CreateCredentialTagAsync_accepts_a_100_character_name_and_a_sql_fragment()
    {
        var longName = Unique.Suffix() + new string('t', 100 - Unique.Suffix().Length);
        var fragment = SqlFragment + Unique.Suffix();

        var tagged = await Db.CreateCredentialTagAsync(fragment, SqlFragment);
        var tag = await Db.CreateCredentialTagAsync(longName);

        var tags = await Db.ListCredentialTagsAsync();
        Assert.Contains(tag, tags);
        Assert.Contains(tagged, tags);
        Assert.Equal(fragment, tagged.Name);
    }

    [Fact]
    public async Task ListCredentialTagsAsync_returns_every_tag_in_case_insensitive_name_order()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        string[] names = ["beta", "Alpha", "gamma", "ALPHA-2", "alpha_3", "Zed", "delta.1", "a"];
        foreach (var name in names)
        {
            await db.CreateCredentialTagAsync(name);
        }

        var tags = await db.ListCredentialTagsAsync();

        Assert.Equal(names.OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal), tags.Select(t => t.Name));
    }

    [Fact]
    public async Task DeleteCredentialTagAsync_returns_true_once_removes_its_links_and_keeps_the_credentials()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var other = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        await Db.TagCredentialAsync(credential.Id, tag.Id, 5);
        await Db.TagCredentialAsync(credential.Id, other.Id, 7);

        Assert.True(await Db.DeleteCredentialTagAsync(tag.Id));
        Assert.False(await Db.DeleteCredentialTagAsync(tag.Id));

        Assert.DoesNotContain(await Db.ListCredentialTagsAsync(), t => t.Id == tag.Id);
        Assert.Equal(credential, await Db.GetCredentialAsync(credential.Id));
        Assert.Empty((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items);
        Assert.Equal(7, Assert.Single((await Db.GetCredentialsForTagAsync(other.Id, PageRequest.First)).Items).Priority);
        Assert.Equal(0, await CountRawAsync(fixture.Url, "SELECT COUNT(*) FROM credential_tag_links WHERE tag_id = @id", ("id", tag.Id)));
        var missing = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.TagCredentialAsync(credential.Id, tag.Id, 1));
        Assert.Equal("CredentialTag", missing.Entity);
    }

    [Fact]
    public async Task TagCredentialAsync_again_changes_the_priority_of_the_one_link()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var other = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        await Db.TagCredentialAsync(credential.Id, tag.Id, 1);
        await Db.TagCredentialAsync(credential.Id, other.Id, 1);

        await Db.TagCredentialAsync(credential.Id, tag.Id, 42);

        var tagged = Assert.Single((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items);
        Assert.Equal(42, tagged.Priority);
        Assert.Equal(credential, tagged.Credential);
        Assert.Equal(1, Assert.Single((await Db.GetCredentialsForTagAsync(other.Id, PageRequest.First)).Items).Priority);
        Assert.Equal(1, (await Db.GetCredentialAsync(credential.Id))!.Version);
    }

    [Fact]
    public async Task GetCredentialsForTagAsync_returns_the_highest_priority_first_with_ties_by_id_and_decrypted_secrets()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var unrelated = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        int[] priorities = [1, 10, -5, 10, 0, int.MaxValue, int.MinValue, 10];
        var created = new List<(Credential Credential, int Priority)>();
        foreach (var priority in priorities)
        {
            var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name($"p{priority}"), Secret(), $"priority {priority}"));
            await Db.TagCredentialAsync(credential.Id, tag.Id, priority);
            created.Add((credential, priority));
        }

        var untagged = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("untagged"), Secret()));
        await Db.TagCredentialAsync(untagged.Id, unrelated.Id, 100);

        var result = (await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items;

        var expected = created
            .OrderByDescending(c => c.Priority)
            .ThenBy(c => c.Credential.Id.ToString(), StringComparer.Ordinal)
            .Select(c => new TaggedCredential(c.Credential, c.Priority));
        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task GetCredentialsForTagAsync_returns_an_empty_list_for_an_unknown_tag_or_one_without_credentials()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("empty"));

        Assert.Empty((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items);
        Assert.Empty((await Db.GetCredentialsForTagAsync(Guid.NewGuid(), PageRequest.First)).Items);
    }

    [Fact]
    public async Task TagCredentialAsync_with_an_unknown_credential_names_the_credential_and_writes_nothing()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.TagCredentialAsync(unknown, tag.Id, 1));

        Assert.Equal("Credential", error.Entity);
        Assert.Equal(unknown.ToString(), error.Id);
        Assert.Empty((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items);
    }

    [Fact]
    public async Task TagCredentialAsync_with_an_unknown_tag_names_the_tag_and_writes_nothing()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), Secret()));
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<EntityNotFoundException>(() => Db.TagCredentialAsync(credential.Id, unknown, 1));

        Assert.Equal("CredentialTag", error.Entity);
        Assert.Equal(unknown.ToString(), error.Id);
        Assert.Equal(0, await CountRawAsync(fixture.Url, "SELECT COUNT(*) FROM credential_tag_links WHERE credential_id = @id", ("id", credential.Id)));
    }

    [Fact]
    public async Task UntagCredentialAsync_returns_true_once_then_false_and_removes_only_that_link()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var first = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("first"), Secret()));
        var second = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("second"), Secret()));
        await Db.TagCredentialAsync(first.Id, tag.Id, 2);
        await Db.TagCredentialAsync(second.Id, tag.Id, 1);

        Assert.True(await Db.UntagCredentialAsync(first.Id, tag.Id));
        Assert.False(await Db.UntagCredentialAsync(first.Id, tag.Id));
        Assert.False(await Db.UntagCredentialAsync(Guid.NewGuid(), Guid.NewGuid()));

        Assert.Equal([second.Id], ((await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items).Select(t => t.Credential.Id));
        Assert.Equal(first, await Db.GetCredentialAsync(first.Id));
    }

    // ---- encryption at rest ----

    [Fact]
    public async Task The_credentials_table_holds_no_plaintext_secret_only_ciphertext_under_the_current_key()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var shared = Secret();
        var updatedSecret = Secret();
        var a = await db.CreateCredentialAsync(new NewCredential("alice", shared, "first"));
        var b = await db.CreateCredentialAsync(new NewCredential("bob", shared, "second"));
        var before = await StoredSecretAsync(url, b.Id);
        await db.UpdateCredentialAsync(b with { Secret = updatedSecret });

        await using var connection = await fixture.OpenRawConnectionAsync(url);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM credentials";
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, string>();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var text = reader.IsDBNull(i) ? "" : reader.GetValue(i) switch
                {
                    byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes) + Convert.ToHexString(bytes),
                    var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
                };
                Assert.DoesNotContain(shared, text, StringComparison.Ordinal);
                Assert.DoesNotContain(updatedSecret, text, StringComparison.Ordinal);
            }

            stored[Convert.ToString(reader.GetValue(reader.GetOrdinal("username")), CultureInfo.InvariantCulture)!] =
                reader.GetString(reader.GetOrdinal("secret"));
        }

        Assert.Equal(2, rows);
        Assert.All(stored.Values, value => Assert.StartsWith($"v1:{StorageFixture.TestKeyId}:", value, StringComparison.Ordinal));

        // A fresh nonce per value: the same secret is stored differently, and an update re-encrypts.
        Assert.NotEqual(stored["alice"], before);
        Assert.NotEqual(before, stored["bob"]);
        Assert.Equal(shared, (await db.GetCredentialAsync(a.Id))!.Secret);
        Assert.Equal(updatedSecret, (await db.GetCredentialAsync(b.Id))!.Secret);
    }

    [Fact]
    public async Task A_ciphertext_copied_to_another_credential_row_fails_to_decrypt()
    {
        // A database of its own: the tampered row would break every later list of the shared one.
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var tag = await db.CreateCredentialTagAsync("tag");
        var sourceSecret = Secret();
        var source = await db.CreateCredentialAsync(new NewCredential("source", sourceSecret));
        var target = await db.CreateCredentialAsync(new NewCredential("target", Secret()));
        await db.TagCredentialAsync(target.Id, tag.Id, 1);

        var copied = await ExecuteRawAsync(
            url,
            "UPDATE credentials SET secret = (SELECT secret FROM credentials WHERE id = @source) WHERE id = @target",
            ("source", source.Id),
            ("target", target.Id));
        Assert.Equal(1, copied);
        Assert.Equal(await StoredSecretAsync(url, source.Id), await StoredSecretAsync(url, target.Id));

        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetCredentialAsync(target.Id));
        Assert.Equal(StorageFixture.TestKeyId, error.KeyId);
        Assert.DoesNotContain(sourceSecret, error.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.GetCredentialsForTagAsync(tag.Id, PageRequest.First));
        await Assert.ThrowsAsync<SecretDecryptionException>(() => db.ListCredentialsAsync(PageRequest.First));
        Assert.Equal(sourceSecret, (await db.GetCredentialAsync(source.Id))!.Secret);
    }

    [Fact]
    public async Task A_provider_with_only_a_different_key_is_refused_at_start_naming_the_missing_key_and_the_setting()
    {
        var secret = Secret();
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), secret));
        var otherKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        fixture.RegisterSecret(otherKey);

        await using var other = fixture.CreateProvider(fixture.Url, configure: o =>
        {
            o.EncryptionKeys.Clear();
            o.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "other", Key = otherKey });
        });

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => other.GetCredentialAsync(credential.Id));
        Assert.Contains(StorageFixture.TestKeyId, error.Message, StringComparison.Ordinal);
        Assert.Contains("GatewayStorage:EncryptionKeys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(otherKey, error.ToString(), StringComparison.Ordinal);

        // The row is intact: the provider with the right key still reads it.
        Assert.Equal(secret, (await Db.GetCredentialAsync(credential.Id))!.Secret);
    }

    // ---- helpers ----

    /// <summary>A secret no other test uses, registered so the fixture fails if it ever reaches a log.</summary>
    private string Secret()
    {
        var secret = "pw-" + Unique.Suffix() + Unique.Suffix();
        fixture.RegisterSecret(secret);
        return secret;
    }

    // SQLite stores ids as lower-case text; PostgreSQL as uuid.
    private object RawId(Guid id) => fixture.Backend == "sqlite" ? id.ToString() : id;

    private async Task<T> WithRawCommandAsync<T>(string url, string sql, (string Name, Guid Id)[] ids, Func<DbCommand, Task<T>> run)
    {
        await using var connection = await fixture.OpenRawConnectionAsync(url);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, id) in ids)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = RawId(id);
            command.Parameters.Add(parameter);
        }

        return await run(command);
    }

    private Task<int> ExecuteRawAsync(string url, string sql, params (string Name, Guid Id)[] ids) =>
        WithRawCommandAsync(url, sql, ids, command => command.ExecuteNonQueryAsync());

    private Task<long> CountRawAsync(string url, string sql, params (string Name, Guid Id)[] ids) =>
        WithRawCommandAsync(url, sql, ids, async command => Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));

    private Task<string> StoredSecretAsync(string url, Guid id) =>
        WithRawCommandAsync(url, "SELECT secret FROM credentials WHERE id = @id", [("id", id)], async command => (string)(await command.ExecuteScalarAsync())!);

    [Fact]
    public async Task GetCredentialsForTagAsync_pages_by_priority_then_id_and_returns_each_credential_once_across_pages()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        int[] priorities = [1, 10, -5, 10, 0, int.MaxValue, int.MinValue, 10, 10];
        var created = new List<(Credential Credential, int Priority)>();
        foreach (var priority in priorities)
        {
            var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name($"p{priority}"), Secret()));
            await Db.TagCredentialAsync(credential.Id, tag.Id, priority);
            created.Add((credential, priority));
        }

        var paged = new List<TaggedCredential>();
        var request = new PageRequest(2);
        while (true)
        {
            var page = await Db.GetCredentialsForTagAsync(tag.Id, request);
            Assert.True(page.Items.Count <= 2);
            paged.AddRange(page.Items);
            if (page.NextCursor is not { } cursor)
            {
                break;
            }

            request = request.Next(cursor);
        }

        var expected = created
            .OrderByDescending(c => c.Priority)
            .ThenBy(c => c.Credential.Id.ToString(), StringComparer.Ordinal)
            .Select(c => new TaggedCredential(c.Credential, c.Priority));
        Assert.Equal(expected, paged);
    }

    [Fact]
    public async Task GetCredentialsForTagAsync_refuses_a_cursor_of_another_tag_and_a_null_page()
    {
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var other = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        for (var i = 0; i < 2; i++)
        {
            var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("c"), Secret()));
            await Db.TagCredentialAsync(credential.Id, tag.Id, i);
        }

        var cursor = (await Db.GetCredentialsForTagAsync(tag.Id, new PageRequest(1))).NextCursor!;

        await Assert.ThrowsAsync<ArgumentException>(() => Db.GetCredentialsForTagAsync(other.Id, new PageRequest(1, cursor)));
        await Assert.ThrowsAsync<ArgumentException>(() => Db.GetCredentialsForTagAsync(tag.Id, new PageRequest(1, "bm90IGEgY3Vyc29y")));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.GetCredentialsForTagAsync(tag.Id, null!));
    }
}
