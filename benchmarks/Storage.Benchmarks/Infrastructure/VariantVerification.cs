using System.Globalization;
using System.Text.Json;
using GatewayStorage.Benchmarks.EfCore;
using GatewayStorage.Benchmarks.Floor;
using GatewayStorage.Benchmarks.HotPaths;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// <c>--verify</c> (and the start of every run): each operation once per variant on the same inputs, asserting that
/// the library, the floor and EF Core return the same data (user ids and emails, key ids, config values,
/// permission sets, page ids), so the benchmarks compare equal work.
/// </summary>
internal static class VariantVerification
{
    private static readonly TimeSpan UsageWindow = TimeSpan.FromDays(1);

    /// <summary>Checks every operation on <paramref name="engine"/>'s main database; returns the failures (none when all agree).</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="storageForms">
    /// Also run <see cref="EfCoreSelfCheck"/> (EF Core reads what the library wrote and the other way round, on rows it
    /// creates with unique names): <c>--verify</c> does; a benchmark run does not, to leave the shared database as seeded.
    /// </param>
    public static async Task<IReadOnlyList<string>> RunAsync(BenchmarkEngine engine, bool storageForms = false)
    {
        var database = await SeededDatabases.GetAsync(engine, BenchmarkSettings.MainRows);
        var failures = new List<string>();
        var library = database.CreateLibrary();
        var floor = await database.CreateFloorAsync();
        var efCore = database.CreateEfCore();
        var random = new Random(BenchmarkSettings.Seed ^ 77);
        await using (library)
        await using (floor)
        await using (efCore)
        {
            async Task Check(string operation, Func<Task> body)
            {
                try
                {
                    await body();
                    Console.WriteLine($"// verify {engine} {operation}: ok");
                }
                catch (Exception ex)
                {
                    failures.Add($"{engine} {operation}: {ex.Message}");
                    Console.WriteLine($"// verify {engine} {operation}: MISMATCH: {ex.Message}");
                }
            }

            if (storageForms)
            {
                await Check("storage forms (EfCoreSelfCheck)", () => EfCoreSelfCheck.RunAsync(engine, database.ConnectionString, library, database.Options));
            }

            await Check("verify API key", async () =>
            {
                for (var n = 0; n < 8; n++)
                {
                    var sample = database.Keys[random.Next(database.Keys.Count)];
                    var l = await library.VerifyApiKeyAsync(sample.PresentedKey);
                    var f = await floor.VerifyApiKeyAsync(sample.PresentedKey);
                    var e = await efCore.VerifyApiKeyAsync(sample.PresentedKey);
                    Same("key id", sample.Id, l?.Id, f?.Id, e?.Id);
                    Same("user id", sample.UserId, l?.UserId, f?.UserId, e?.UserId);
                    Same("public id", l?.PublicId, l?.PublicId, f?.PublicId, e?.PublicId);
                    Same("scopes", "read write", Join(l?.Scopes), Join(f?.Scopes), Join(e?.Scopes));
                    Same("last used", l?.LastUsedAt, l?.LastUsedAt, f?.LastUsedAt, e?.LastUsedAt);
                }

                // The right public id with a wrong secret: no variant accepts it.
                var wrong = database.Keys[0].PresentedKey[..^4] + (database.Keys[0].PresentedKey.EndsWith("aaaa", StringComparison.Ordinal) ? "bbbb" : "aaaa");
                Same<Guid?>("wrong secret", null, (await library.VerifyApiKeyAsync(wrong))?.Id, (await floor.VerifyApiKeyAsync(wrong))?.Id, (await efCore.VerifyApiKeyAsync(wrong))?.Id);
            });

            await Check("get user by id", async () =>
            {
                for (var n = 0; n < 8; n++)
                {
                    var index = random.Next(database.Rows);
                    var id = database.Plan.UserIds[index];
                    var l = await library.GetUserAsync(id);
                    var f = await floor.GetUserByIdAsync(id);
                    var e = await efCore.GetUserByIdAsync(id);
                    SameUser(SeedPlan.Email(index), id, l, f, e is null ? null : new User(e.Id, e.Email, e.DisplayName, e.IsActive, e.CreatedAt, e.UpdatedAt, e.LastLoginAt, e.Version));
                }

                var unknown = Guid.CreateVersion7();
                Same<Guid?>("unknown id", null, (await library.GetUserAsync(unknown))?.Id, (await floor.GetUserByIdAsync(unknown))?.Id, (await efCore.GetUserByIdAsync(unknown))?.Id);
            });

            await Check("get user by email", async () =>
            {
                for (var n = 0; n < 8; n++)
                {
                    var index = random.Next(database.Rows);
                    var email = SeedPlan.Email(index);
                    var lookup = n % 2 == 0 ? email : email.ToLowerInvariant();
                    var l = await library.GetUserByEmailAsync(lookup);
                    var f = await floor.GetUserByEmailAsync(lookup);
                    var e = await efCore.GetUserByEmailAsync(lookup);
                    SameUser(email, database.Plan.UserIds[index], l, f, e is null ? null : new User(e.Id, e.Email, e.DisplayName, e.IsActive, e.CreatedAt, e.UpdatedAt, e.LastLoginAt, e.Version));
                }

                const string Unknown = "nobody@bench.example";
                Same<Guid?>("unknown email", null, (await library.GetUserByEmailAsync(Unknown))?.Id, (await floor.GetUserByEmailAsync(Unknown))?.Id, (await efCore.GetUserByEmailAsync(Unknown))?.Id);
            });

            await Check("get config value", async () =>
            {
                for (var n = 0; n < 8; n++)
                {
                    var key = SeedPlan.ConfigKey(random.Next(BenchmarkSettings.ConfigEntries));
                    var l = await library.GetConfigAsync(key) ?? throw new InvalidOperationException($"library: no config {key}");
                    var f = await floor.GetConfigAsync(key) ?? throw new InvalidOperationException($"floor: no config {key}");
                    var e = await efCore.GetConfigAsync(key) ?? throw new InvalidOperationException($"EF Core: no config {key}");
                    Same("key", key, l.Key, f.Key, e.Key);
                    Same("version", 1L, l.Version, f.Version, e.Version);
                    Same("updated at", l.UpdatedAt, l.UpdatedAt, f.UpdatedAt, e.UpdatedAt);
                    using var expected = JsonDocument.Parse(SeedPlan.ConfigValue(int.Parse(key[^4..], CultureInfo.InvariantCulture)));
                    if (!JsonElement.DeepEquals(expected.RootElement, l.Value) || !JsonElement.DeepEquals(l.Value, f.Value) || !JsonElement.DeepEquals(l.Value, e.Value))
                    {
                        throw new InvalidOperationException($"value of {key}: library {l.Value.GetRawText()}, floor {f.Value.GetRawText()}, EF Core {e.Value.GetRawText()}");
                    }
                }

                Same<string?>("unknown key", null, (await library.GetConfigAsync("no/such-key"))?.Key, (await floor.GetConfigAsync("no/such-key"))?.Key, (await efCore.GetConfigAsync("no/such-key"))?.Key);
            });

            await Check("increment usage counter", async () =>
            {
                var keyId = database.Plan.ApiKeyIds[random.Next(database.Rows)];
                for (var attempt = 0; ; attempt++)
                {
                    // Each variant counts one more use of the same key in the same window.
                    var l = await library.IncrementApiKeyUsageAsync(keyId, UsageWindow);
                    var f = await floor.IncrementUsageAsync(keyId, UsageWindow);
                    var e = await efCore.IncrementUsageAsync(keyId, UsageWindow);
                    if (f == l + 1 && e == f + 1)
                    {
                        break;
                    }

                    if (attempt > 0 || !(l >= 1 && f >= 1 && e >= 1))
                    {
                        throw new InvalidOperationException($"counts: library {l}, floor {f}, EF Core {e} (expected n, n+1, n+2)");
                    }
                }
            });

            await Check("effective permissions", async () =>
            {
                for (var n = 0; n < 8; n++)
                {
                    var id = database.Plan.UserIds[random.Next(database.Rows)];
                    var l = await library.GetEffectivePermissionsAsync(id);
                    var f = await floor.GetEffectivePermissionsAsync(id);
                    var e = await efCore.GetEffectivePermissionsAsync(id);
                    if (l.Count < 5 || !l.SetEquals(f) || !l.SetEquals(e))
                    {
                        throw new InvalidOperationException(
                            $"user {id}: library [{string.Join(' ', l.Order(StringComparer.Ordinal))}], floor [{string.Join(' ', f.Order(StringComparer.Ordinal))}], EF Core [{string.Join(' ', e.Order(StringComparer.Ordinal))}]");
                    }
                }
            });

            await Check("create user", async () =>
            {
                var tag = "verify." + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)) + ".";
                try
                {
                    var l = await library.CreateUserAsync(new NewUser(tag + "library@Bench.Example", "Verify"));
                    var f = await floor.CreateUserAsync(tag + "floor@Bench.Example", "Verify");
                    var e = await efCore.CreateUserAsync(tag + "efcore@Bench.Example", "Verify");
                    foreach (var (id, email) in new[] { (l.Id, l.Email), (f.Id, f.Email), (e.Id, e.Email) })
                    {
                        // What one variant wrote, every variant reads back the same.
                        var viaLibrary = await library.GetUserAsync(id);
                        var viaFloor = await floor.GetUserByIdAsync(id);
                        var viaEf = await efCore.GetUserByIdAsync(id);
                        SameUser(email, id, viaLibrary, viaFloor, viaEf is null ? null : new User(viaEf.Id, viaEf.Email, viaEf.DisplayName, viaEf.IsActive, viaEf.CreatedAt, viaEf.UpdatedAt, viaEf.LastLoginAt, viaEf.Version));
                        Same<Guid?>("by email", id, (await library.GetUserByEmailAsync(email.ToUpperInvariant()))?.Id, (await floor.GetUserByEmailAsync(email))?.Id, (await efCore.GetUserByEmailAsync(email))?.Id);
                    }

                    Same("created version", 1L, l.Version, f.Version, e.Version);
                }
                finally
                {
                    await database.DeleteUsersAsync(SeedPlan.NormalizedEmail(tag));
                }
            });

            await Check("list users (page of 50)", async () =>
            {
                var starts = database.ListStarts;
                foreach (var start in new[] { starts[0], starts[random.Next(starts.Count)], starts[^1] })
                {
                    var l = await library.ListUsersAsync(UserQuery.All, new PageRequest(ListUsers.PageSize, start.Cursor));
                    var f = await floor.ListUsersAsync(start.After, ListUsers.PageSize + 1);
                    var e = await efCore.ListUsersAsync(start.After, ListUsers.PageSize + 1);
                    var libraryIds = string.Join(',', l.Items.Select(u => u.Id));
                    var floorIds = string.Join(',', f.Take(ListUsers.PageSize).Select(u => u.Id));
                    var efIds = string.Join(',', e.Take(ListUsers.PageSize).Select(u => u.Id));
                    if (l.Items.Count != ListUsers.PageSize || libraryIds != floorIds || libraryIds != efIds)
                    {
                        throw new InvalidOperationException($"page after {start.After}: the ids differ (library {l.Items.Count}, floor {f.Count}, EF Core {e.Count} rows)");
                    }

                    Same("has more", l.HasMore, l.HasMore, f.Count > ListUsers.PageSize, e.Count > ListUsers.PageSize);
                    Same("first email", l.Items[0].Email, l.Items[0].Email, f[0].Email, e[0].Email);
                }
            });
        }

        return failures;
    }

    private static string? Join(IEnumerable<string>? values) => values is null ? null : string.Join(' ', values);

    private static void SameUser(string email, Guid id, User? library, User? floor, User? efCore)
    {
        Same<Guid?>("user id", id, library?.Id, floor?.Id, efCore?.Id);
        Same("email", email, library?.Email, floor?.Email, efCore?.Email);
        Same("display name", library?.DisplayName, library?.DisplayName, floor?.DisplayName, efCore?.DisplayName);
        Same("active", library?.IsActive, library?.IsActive, floor?.IsActive, efCore?.IsActive);
        Same("created at", library?.CreatedAt, library?.CreatedAt, floor?.CreatedAt, efCore?.CreatedAt);
        Same("updated at", library?.UpdatedAt, library?.UpdatedAt, floor?.UpdatedAt, efCore?.UpdatedAt);
        Same("version", library?.Version, library?.Version, floor?.Version, efCore?.Version);
    }

    private static void Same<T>(string what, T expected, T library, T floor, T efCore)
    {
        var comparer = EqualityComparer<T>.Default;
        if (!comparer.Equals(expected, library) || !comparer.Equals(library, floor) || !comparer.Equals(library, efCore))
        {
            throw new InvalidOperationException($"{what}: expected {expected}, library {library}, floor {floor}, EF Core {efCore}");
        }
    }
}
