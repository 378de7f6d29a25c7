using System.Text.Json;

namespace GatewayStorage.Benchmarks.EfCore;

/// <summary>
/// Proves that <see cref="EfCoreHotPaths"/> reads and writes the library's storage forms: data written through the
/// library is read back by EF Core equal to what the library returns, and data written by EF Core is read back by the
/// library. Creates its own rows (unique names), so it runs on an empty or a seeded database. Throws
/// <see cref="InvalidOperationException"/> on the first mismatch.
/// </summary>
public static class EfCoreSelfCheck
{
    private static readonly TimeSpan UsageWindow = TimeSpan.FromDays(1);

    public static async Task RunAsync(BenchmarkEngine engine, string connectionString, IDatabaseProvider library, GatewayStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(options);
        var ef = EfCoreHotPaths.Create(engine, connectionString, options);
        await using (ef)
        {
            var check = new Checker(engine);
            var tag = Guid.NewGuid().ToString("N")[..12];

            // Users: written by the library, read by EF (by id; by email in another case and Unicode form).
            var user = await library.CreateUserAsync(new NewUser($"Self.Check.{tag}@Example.com", "Self Check"));
            var unicode = await library.CreateUserAsync(new NewUser($"Z\u00f6e.{tag}@Example.com", null, IsActive: false));
            check.User(await ef.GetUserByIdAsync(user.Id), user, "GetUserByIdAsync");
            check.User(await ef.GetUserByEmailAsync(user.Email.ToLowerInvariant()), user, "GetUserByEmailAsync (lower case)");
            check.User(await ef.GetUserByEmailAsync($"zo\u0308e.{tag}@EXAMPLE.COM"), unicode, "GetUserByEmailAsync (decomposed, upper case)");
            check.True(await ef.GetUserByIdAsync(Guid.CreateVersion7()) is null, "GetUserByIdAsync of an unknown id is null");
            check.True(await ef.GetUserByEmailAsync($"nobody.{tag}@example.com") is null, "GetUserByEmailAsync of an unknown email is null");
            var efRow = await ef.GetUserByIdAsync(user.Id);
            check.True(efRow!.NormalizedEmail == user.Email.ToUpperInvariant(), "normalized_email read by EF");

            // Effective permissions: two roles with an overlapping permission.
            var reader = await library.CreateRoleAsync(new NewRole($"selfcheck-reader-{tag}", null, ["config:read", "users:read"]));
            var writer = await library.CreateRoleAsync(new NewRole($"selfcheck-writer-{tag}", "writes", ["users:read", "users:write"]));
            await library.AssignRoleAsync(user.Id, reader.Id);
            await library.AssignRoleAsync(user.Id, writer.Id);
            var libraryPermissions = await library.GetEffectivePermissionsAsync(user.Id);
            var efPermissions = await ef.GetEffectivePermissionsAsync(user.Id);
            check.True(libraryPermissions.Count == 3 && efPermissions.SetEquals(libraryPermissions),
                $"GetEffectivePermissionsAsync: EF [{string.Join(", ", efPermissions.Order(StringComparer.Ordinal))}], library [{string.Join(", ", libraryPermissions.Order(StringComparer.Ordinal))}]");
            check.True((await ef.GetEffectivePermissionsAsync(unicode.Id)).Count == 0, "GetEffectivePermissionsAsync of a user without roles is empty");

            // Config: a nested JSON value, written twice so the version is 2.
            var configKey = $"selfcheck.{tag}";
            using (var document = JsonDocument.Parse("""{"limit": 100, "tags": ["a", "é", null], "nested": {"on": true, "ratio": 0.25}}"""))
            {
                await library.SetConfigAsync(configKey, document.RootElement);
                await library.SetConfigAsync(configKey, document.RootElement);
            }

            var libraryConfig = await library.GetConfigAsync(configKey);
            var efConfig = await ef.GetConfigAsync(configKey);
            check.True(efConfig is not null && libraryConfig is not null, "GetConfigAsync found the entry");
            check.True(efConfig!.Key == libraryConfig!.Key && efConfig.Version == libraryConfig.Version && libraryConfig.Version == 2
                && efConfig.UpdatedAt == libraryConfig.UpdatedAt && efConfig.UpdatedAt.Offset == TimeSpan.Zero,
                $"GetConfigAsync: EF ({efConfig.Key}, v{efConfig.Version}, {efConfig.UpdatedAt:O}), library ({libraryConfig.Key}, v{libraryConfig.Version}, {libraryConfig.UpdatedAt:O})");
            check.True(JsonElement.DeepEquals(efConfig.Value, libraryConfig.Value) && efConfig.Value.GetRawText() == libraryConfig.Value.GetRawText(),
                $"GetConfigAsync value: EF {efConfig.Value.GetRawText()}, library {libraryConfig.Value.GetRawText()}");
            check.True(await ef.GetConfigAsync($"selfcheck.missing.{tag}") is null, "GetConfigAsync of an unknown key is null");

            // API keys: created by the library (real keys, hashed with the options' key), verified by EF.
            var created = await library.CreateApiKeyAsync(new NewApiKey(user.Id, "self check", DateTimeOffset.UtcNow.AddDays(1), ["write", "read"]));
            var verified = await ef.VerifyApiKeyAsync(created.Secret);
            check.True(verified is not null, "VerifyApiKeyAsync accepts a key the library issued");
            check.True(verified!.LastUsedAt is not null, "VerifyApiKeyAsync recorded the first use");
            var stored = await library.GetApiKeyAsync(created.Key.Id);
            check.ApiKey(verified, stored!, "VerifyApiKeyAsync (first use, written by EF)");
            check.True(verified.SecretHash.Length == 32, "secret_hash read as 32 bytes");
            var again = await ef.VerifyApiKeyAsync(created.Secret);
            check.True(again is not null && again.LastUsedAt == verified.LastUsedAt, "a second verify within the interval writes nothing");
            var byLibrary = await library.VerifyApiKeyAsync(created.Secret);
            check.ApiKey(again!, byLibrary!, "VerifyApiKeyAsync (EF) against VerifyApiKeyAsync (library)");

            var secret = created.Secret;
            var wrongSecret = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a');
            var unknownId = $"{options.ApiKeyPrefix}_{new string('a', ApiKeyFormatLengths.PublicId)}_{secret[^ApiKeyFormatLengths.Secret..]}";
            check.True(await ef.VerifyApiKeyAsync(wrongSecret) is null && await library.VerifyApiKeyAsync(wrongSecret) is null, "a wrong secret is refused");
            check.True(await ef.VerifyApiKeyAsync(unknownId) is null, "an unknown public id is refused");
            check.True(await ef.VerifyApiKeyAsync("xyz" + secret[3..]) is null, "a wrong prefix is refused");
            check.True(await ef.VerifyApiKeyAsync("not a key") is null, "a malformed key is refused");

            var revoked = await library.CreateApiKeyAsync(new NewApiKey(user.Id, "revoked"));
            check.True(await ef.VerifyApiKeyAsync(revoked.Secret) is { ExpiresAt: null }, "a key without expiry verifies");
            await library.RevokeApiKeyAsync(revoked.Key.Id);
            check.True(await ef.VerifyApiKeyAsync(revoked.Secret) is null, "a revoked key is refused");

            var expiring = await library.CreateApiKeyAsync(new NewApiKey(user.Id, "expiring", DateTimeOffset.UtcNow.AddMilliseconds(1500)));
            check.True(await ef.VerifyApiKeyAsync(expiring.Secret) is not null, "a key before its expiry verifies");
            await Task.Delay(1600);
            check.True(await ef.VerifyApiKeyAsync(expiring.Secret) is null && await library.VerifyApiKeyAsync(expiring.Secret) is null, "an expired key is refused");

            // Usage counters: EF and the library count in the same window row.
            var first = await ef.IncrementUsageAsync(created.Key.Id, UsageWindow);
            var second = await library.IncrementApiKeyUsageAsync(created.Key.Id, UsageWindow);
            var third = await ef.IncrementUsageAsync(created.Key.Id, UsageWindow);
            check.True(first == 1 && second == 2 && third == 3, $"IncrementUsageAsync counts 1, 2, 3 (got {first}, {second}, {third})");
            var usage = await library.GetApiKeyUsageAsync(created.Key.Id, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(1));
            check.True(usage.Count == 1 && usage[0].Count == 3 && usage[0].WindowLength == UsageWindow
                && usage[0].WindowStart.ToUnixTimeSeconds() % 86_400 == 0,
                $"the usage row EF wrote is the library's window ({string.Join("; ", usage)})");

            // Users written by EF, read by the library.
            var efEmail = $"EF.Created.{tag}@Example.com";
            var efUser = await ef.CreateUserAsync(efEmail, "Created by EF");
            var readBack = await library.GetUserAsync(efUser.Id);
            check.User(efUser, readBack, "CreateUserAsync (read back by the library)");
            check.User(efUser, await library.GetUserByEmailAsync(efEmail.ToUpperInvariant()), "CreateUserAsync (found by email through the library)");
            check.True(efUser.Id.Version == 7 && efUser.Version == 1 && efUser.CreatedAt.Ticks % TimeSpan.TicksPerMicrosecond == 0, "CreateUserAsync: v7 id, version 1, whole microseconds");
            var duplicate = false;
            try
            {
                await library.CreateUserAsync(new NewUser(efEmail.ToLowerInvariant()));
            }
            catch (DuplicateKeyException)
            {
                duplicate = true;
            }

            check.True(duplicate, "the library sees EF's normalized_email as a duplicate");

            // Keyset pages: the first two pages of three, by the library's cursor and by the last id (with at least
            // eight users, ids from both writers interleaved).
            var anchor = await library.CreateUserAsync(new NewUser($"page.anchor.{tag}@example.com"));
            var later = new List<Guid>();
            for (var i = 0; i < 2; i++)
            {
                later.Add((await library.CreateUserAsync(new NewUser($"page.library.{i}.{tag}@example.com"))).Id);
                await ef.CreateUserAsync($"page.ef.{i}.{tag}@example.com", null);
            }

            var libraryPage = await library.ListUsersAsync(UserQuery.All, new PageRequest(3));
            var efPage = await ef.ListUsersAsync(null, 3);
            check.Users(efPage, libraryPage.Items, "ListUsersAsync (first page)");
            check.True(libraryPage.NextCursor is not null, "there is a second page");
            var libraryNext = await library.ListUsersAsync(UserQuery.All, new PageRequest(3, libraryPage.NextCursor));
            var efNext = await ef.ListUsersAsync(efPage[^1].Id, 3);
            check.Users(efNext, libraryNext.Items, "ListUsersAsync (page after the last id)");

            // The tail after one of the users just created (a cursor made from its id, as the library makes them): a few
            // rows on any database, seeded or not, and nothing after its last row.
            var cursor = Relational.KeysetCursor.Encode("users", anchor.Id.ToString());
            var libraryTail = await library.ListUsersAsync(UserQuery.All, new PageRequest(PageRequest.MaxLimit, cursor));
            var efTail = await ef.ListUsersAsync(anchor.Id, PageRequest.MaxLimit);
            check.Users(efTail, libraryTail.Items, "ListUsersAsync (after an id, by cursor)");
            check.True(later.All(id => efTail.Exists(u => u.Id == id)), "ListUsersAsync after the anchor holds the users the library created after it");
            if (libraryTail.NextCursor is null && efTail.Count > 0)
            {
                check.True((await ef.ListUsersAsync(efTail[^1].Id, 50)).Count == 0, "ListUsersAsync after the last id is empty");
            }

            // The last-used time is written again once the interval has passed (an interval of half a second here).
            var shortInterval = new GatewayStorageOptions
            {
                ApiKeyPrefix = options.ApiKeyPrefix,
                ApiKeyHashKey = options.ApiKeyHashKey,
                ApiKeyLastUsedInterval = TimeSpan.FromMilliseconds(500),
            };
            foreach (var key in options.EncryptionKeys)
            {
                shortInterval.EncryptionKeys.Add(key);
            }

            var efShort = EfCoreHotPaths.Create(engine, connectionString, shortInterval);
            await using (efShort)
            {
                var before = (await library.GetApiKeyAsync(created.Key.Id))!.LastUsedAt;
                await Task.Delay(600);
                var touched = await efShort.VerifyApiKeyAsync(created.Secret);
                var after = (await library.GetApiKeyAsync(created.Key.Id))!.LastUsedAt;
                check.True(touched is not null && after > before && touched.LastUsedAt == after,
                    $"VerifyApiKeyAsync writes the last-used time again after the interval (before {before:O}, after {after:O}, returned {touched?.LastUsedAt:O})");
                var untouched = await efShort.VerifyApiKeyAsync(created.Secret);
                check.True(untouched is not null && untouched.LastUsedAt == after, "and not again within it");
            }
        }
    }

    /// <summary>The key lengths (public id, secret) as the library's <c>ApiKeyFormat</c> defines them.</summary>
    private static class ApiKeyFormatLengths
    {
        public const int PublicId = Security.ApiKeyFormat.PublicIdLength;
        public const int Secret = Security.ApiKeyFormat.SecretLength;
    }

    private sealed class Checker(BenchmarkEngine engine)
    {
        public void True(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException($"EF Core self-check on {engine} failed: {what}.");
            }
        }

        public void User(EfUser? ef, User? library, string what)
        {
            True(ef is not null && library is not null, $"{what}: found (EF {(ef is null ? "null" : "row")}, library {(library is null ? "null" : "row")})");
            True(ef!.Id == library!.Id && ef.Email == library.Email && ef.DisplayName == library.DisplayName
                && ef.IsActive == library.IsActive && ef.CreatedAt == library.CreatedAt && ef.UpdatedAt == library.UpdatedAt
                && ef.LastLoginAt == library.LastLoginAt && ef.Version == library.Version
                && ef.CreatedAt.Offset == TimeSpan.Zero && ef.UpdatedAt.Offset == TimeSpan.Zero,
                $"{what}: EF {Describe(ef)} differs from library {library}");
        }

        public void Users(List<EfUser> ef, IReadOnlyList<User> library, string what)
        {
            True(ef.Count == library.Count, $"{what}: EF returned {ef.Count} users, the library {library.Count}");
            for (var i = 0; i < ef.Count; i++)
            {
                User(ef[i], library[i], $"{what}, item {i}");
            }
        }

        public void ApiKey(EfApiKey ef, ApiKey library, string what) =>
            True(ef.Id == library.Id && ef.UserId == library.UserId && ef.Name == library.Name && ef.PublicId == library.PublicId
                && ef.Scopes.SequenceEqual(library.Scopes) && ef.CreatedAt == library.CreatedAt && ef.ExpiresAt == library.ExpiresAt
                && ef.LastUsedAt == library.LastUsedAt && ef.RevokedAt == library.RevokedAt,
                $"{what}: EF ({ef.Id}, {ef.UserId}, {ef.Name}, {ef.PublicId}, [{string.Join(' ', ef.Scopes)}], {ef.CreatedAt:O}, {ef.ExpiresAt:O}, {ef.LastUsedAt:O}, {ef.RevokedAt:O}) differs from library {library}");

        private static string Describe(EfUser u) =>
            $"({u.Id}, {u.Email}, {u.DisplayName}, {u.IsActive}, {u.CreatedAt:O}, {u.UpdatedAt:O}, {u.LastLoginAt:O}, v{u.Version})";
    }
}
