using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Dapper;
using GatewayStorage.Relational;
using GatewayStorage.Tests.Conformance.Config;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Cancellation;

/// <summary>
/// Cancellation on both engines: a token cancelled before the call makes every store method throw
/// <see cref="OperationCanceledException"/> and write nothing; a token cancelled during a multi-statement write
/// leaves the entity whole or absent, never half written.
/// </summary>
public abstract class CancellationConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private const string MalformedToken = "not a token";

    /// <summary>The interfaces <see cref="IDatabaseProvider"/> is made of, whose every method needs a case.</summary>
    private static readonly Type[] StoreInterfaces =
    [
        typeof(IUserStore), typeof(IRoleStore), typeof(IDirectoryMappingStore), typeof(IOAuthProviderStore),
        typeof(IOAuthTokenStore), typeof(IApiKeyStore), typeof(IConfigStore), typeof(IMcpServerStore),
        typeof(ICredentialStore), typeof(ISessionStore), typeof(IAuditLog), typeof(IDatabaseLifecycle), typeof(IDataStreams),
        typeof(ConfigStoreExtensions),
    ];

    private IDatabaseProvider Db => fixture.Provider;

    public static TheoryData<string> CaseNames() => [.. Cases(Seeded.Placeholder).Select(c => c.Name)];

    [Fact]
    public void Every_public_store_method_has_a_cancelled_token_case()
    {
        var covered = Cases(Seeded.Placeholder).Select(c => MethodOf(c.Name)).ToHashSet(StringComparer.Ordinal);

        var missing = StoreInterfaces
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => !method.IsSpecialName && method.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(method => $"{method.DeclaringType!.Name}.{method.Name}")
            .Where(name => !covered.Contains(name))
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, $"No cancellation case for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_public_store_method_takes_a_cancellation_token_last()
    {
        var wrong = StoreInterfaces
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(method => !method.IsSpecialName)
            .Where(method => method.GetParameters() is var p && (p.Length == 0 || p[^1].ParameterType != typeof(CancellationToken)))
            .Select(method => $"{method.DeclaringType!.Name}.{method.Name}")
            .ToList();

        Assert.True(wrong.Count == 0, $"Not taking a CancellationToken last: {string.Join(", ", wrong)}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_store_method_given_a_cancelled_token_throws_and_writes_nothing(string name)
    {
        var seeded = await SeedAsync();
        var call = Cases(seeded).Single(c => c.Name == name).Call;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var before = await SnapshotAsync(fixture.Url);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call(Db, cancelled.Token));

        AssertSameRows(before, await SnapshotAsync(fixture.Url));
    }

    [Fact]
    public async Task Migrating_or_initialising_an_empty_database_with_a_cancelled_token_creates_no_table()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var provider = fixture.CreateProvider(url, options => options.AutoMigrate = true);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.MigrateAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.InitializeAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.CreateUserAsync(new NewUser(Unique.Email()), cancelled.Token));

        Assert.Empty(await SnapshotAsync(url));
    }

    [Fact]
    public async Task A_foreign_key_failure_with_a_cancelled_token_throws_OperationCanceledException_without_looking_up_the_reference()
    {
        var context = Assert.IsType<RelationalDatabaseProvider>(Db).Context;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var violation = Task.FromException<bool>(new ForeignKeyViolationException(new InvalidOperationException("insert violates a foreign key")));

        // Were the lookup run (with the caller's token dropped) the user would be missing, and the answer EntityNotFoundException.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => context.WithReferencesAsync(violation, cancelled.Token, (nameof(User), "users", Guid.NewGuid())));
    }

    [Fact]
    public async Task AssignRoleAsync_for_a_missing_user_cancelled_at_any_point_throws_cancellation_or_names_the_user()
    {
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("assign")));
        var missingUser = Guid.NewGuid();

        // Completing means answering EntityNotFoundException for the user; anything but that or cancellation fails the sweep.
        await SweepAsync(
            async token =>
            {
                try
                {
                    await Db.AssignRoleAsync(missingUser, role.Id, token);
                }
                catch (EntityNotFoundException ex) when (ex.Entity == nameof(User) && ex.Id == missingUser.ToString())
                {
                    return;
                }

                Assert.Fail("Assigning a role to a missing user succeeded.");
            },
            _ => Task.CompletedTask);
    }

    [Fact]
    public async Task CreateRoleAsync_cancelled_at_any_point_stores_the_role_with_all_its_permissions_or_nothing()
    {
        string[] permissions = ["a.read", "b.read", "c.read", "d.read", "e.read", "f.read", "g.read", "h.read"];
        var names = new Dictionary<int, string>();

        await SweepAsync(
            token => Db.CreateRoleAsync(new NewRole(names[names.Count] = Unique.Name("sweep"), "swept", permissions), token),
            async completed =>
            {
                var stored = await Db.GetRoleByNameAsync(names[names.Count - 1]);
                if (completed)
                {
                    Assert.NotNull(stored);
                }

                if (stored is not null)
                {
                    Assert.Equal(permissions, stored.Permissions);
                    Assert.Equal("swept", stored.Description);
                }
            });
    }

    [Fact]
    public async Task UpdateRoleAsync_cancelled_at_any_point_leaves_the_old_role_or_the_new_one()
    {
        var current = await Db.CreateRoleAsync(new NewRole(Unique.Name("update"), "v1", ["start.a", "start.b"]));
        var attempt = 0;
        string[] wanted = [];

        await SweepAsync(
            token =>
            {
                attempt++;
                wanted = [.. Enumerable.Range(0, 6).Select(i => $"p{attempt}.{i}")];
                return Db.UpdateRoleAsync(current with { Description = $"attempt {attempt}", Permissions = wanted }, token);
            },
            async completed =>
            {
                var stored = (await Db.GetRoleAsync(current.Id))!;
                if (stored.Version == current.Version)
                {
                    Assert.False(completed);
                    Assert.Equal(current.Description, stored.Description);
                    Assert.Equal(current.Permissions, stored.Permissions);
                }
                else
                {
                    Assert.Equal(current.Version + 1, stored.Version);
                    Assert.Equal($"attempt {attempt}", stored.Description);
                    Assert.Equal(wanted, stored.Permissions);
                }

                current = stored;
            });
    }

    [Fact]
    public async Task UpsertMcpServerAsync_cancelled_at_any_point_leaves_the_old_server_and_tags_or_the_new_ones()
    {
        var name = Unique.Name("mcp");
        McpServer? current = null;
        var attempt = 0;
        string[] wanted = [];

        await SweepAsync(
            token =>
            {
                attempt++;
                wanted = [.. Enumerable.Range(0, 6).Select(i => $"t{attempt}-{i}")];
                return Db.UpsertMcpServerAsync(new McpServerRegistration(name, new Uri("https://mcp.example.org/"), $"attempt {attempt}", Tags: wanted), token);
            },
            async completed =>
            {
                var stored = await Db.GetMcpServerByNameAsync(name);
                if (stored is null || stored.Description != $"attempt {attempt}")
                {
                    Assert.False(completed);
                    Assert.Equal(current?.Description, stored?.Description);
                    Assert.Equal(current?.Tags, stored?.Tags);
                }
                else
                {
                    Assert.Equal(wanted, stored.Tags);
                }

                current = stored;
            });
    }

    [Fact]
    public async Task UpsertOAuthProviderAsync_cancelled_at_any_point_leaves_the_old_provider_or_the_new_one()
    {
        var name = Unique.Name("idp");
        OAuthProvider? current = null;
        var attempt = 0;

        await SweepAsync(
            token =>
            {
                attempt++;
                var secret = $"secret-{Unique.Suffix()}-{attempt}";
                fixture.RegisterSecret(secret);
                return Db.UpsertOAuthProviderAsync(Registration(name, attempt, secret), token);
            },
            async completed =>
            {
                var stored = await Db.GetOAuthProviderAsync(name);
                if (stored is null || stored.ClientId != $"client-{attempt}")
                {
                    Assert.False(completed);
                    Assert.Equal(current?.ClientId, stored?.ClientId);
                    Assert.Equal(current?.ClientSecret, stored?.ClientSecret);
                    Assert.Equal(current?.DisplayName, stored?.DisplayName);
                    Assert.Equal(current?.Scopes, stored?.Scopes);
                }
                else
                {
                    Assert.Equal($"Provider {attempt}", stored.DisplayName);
                    Assert.EndsWith($"-{attempt}", stored.ClientSecret, StringComparison.Ordinal);
                    Assert.Equal([$"scope{attempt}.a", $"scope{attempt}.b"], stored.Scopes);
                }

                current = stored;
            });
    }

    [Fact]
    public async Task TagCredentialAsync_cancelled_at_any_point_leaves_one_link_with_the_old_priority_or_the_new_one()
    {
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), "credential-secret"));
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        int? current = null;
        var attempt = 0;

        await SweepAsync(
            token => Db.TagCredentialAsync(credential.Id, tag.Id, ++attempt, token),
            async completed =>
            {
                var links = (await Db.GetCredentialsForTagAsync(tag.Id, PageRequest.First)).Items;
                var priority = Assert.Single(links.Select(l => l.Priority).DefaultIfEmpty(-1).ToList());
                int? stored = priority == -1 ? null : priority;
                if (stored != attempt)
                {
                    Assert.False(completed);
                    Assert.Equal(current, stored);
                }

                current = stored;
            });
    }

    [Fact]
    public async Task PurgeAuditAsync_cancelled_at_any_point_deletes_whole_batches_and_counts_what_it_deleted()
    {
        const int BatchSize = 3;
        const int Entries = 10;
        var time = new FixedTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var url = await fixture.CreateDatabaseAsync();
        await using var provider = fixture.CreateProvider(url, options => options.PruneBatchSize = BatchSize, time);
        await provider.MigrateAsync();
        long? returned = null;

        await SweepAsync(
            async token => returned = await provider.PurgeAuditAsync(time.Now.AddSeconds(1), token),
            async completed =>
            {
                var deleted = Entries - await CountAsync(url, "audit_log");
                if (completed)
                {
                    Assert.Equal(Entries, deleted);
                    Assert.Equal(deleted, returned);
                }
                else
                {
                    Assert.True(deleted % BatchSize == 0 || deleted == Entries, $"{deleted} rows deleted: not whole batches of {BatchSize}.");
                }
            },
            prepare: async () =>
            {
                returned = null;
                for (var left = await CountAsync(url, "audit_log"); left < Entries; left++)
                {
                    await provider.AppendAuditAsync(new NewAuditEntry("sweep.entry"));
                }
            });
    }

    [Fact]
    public async Task PruneExpiredSessionsAsync_cancelled_at_any_point_deletes_whole_batches_sessions_first()
    {
        const int BatchSize = 3;
        const int Rows = 7;
        var time = new FixedTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var url = await fixture.CreateDatabaseAsync();
        await using var provider = fixture.CreateProvider(url, options => options.PruneBatchSize = BatchSize, time);
        await provider.MigrateAsync();
        var user = await provider.CreateUserAsync(new NewUser(Unique.Email()));
        long? returned = null;

        await SweepAsync(
            async token => returned = await provider.PruneExpiredSessionsAsync(time.Now.AddHours(1), token),
            async completed =>
            {
                var sessions = Rows - await CountAsync(url, "sessions");
                var tokens = Rows - await CountAsync(url, "single_use_tokens");
                if (completed)
                {
                    Assert.Equal((Rows, Rows), (sessions, tokens));
                    Assert.Equal(sessions + tokens, returned);
                }
                else
                {
                    Assert.True(sessions % BatchSize == 0 || sessions == Rows, $"{sessions} sessions deleted: not whole batches of {BatchSize}.");
                    Assert.True(tokens % BatchSize == 0 || tokens == Rows, $"{tokens} tokens deleted: not whole batches of {BatchSize}.");
                    Assert.True(tokens == 0 || sessions == Rows, "Tokens were pruned before all the sessions were.");
                }
            },
            prepare: async () =>
            {
                returned = null;
                for (var left = await CountAsync(url, "sessions"); left < Rows; left++)
                {
                    await provider.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromMinutes(5)));
                }

                for (var left = await CountAsync(url, "single_use_tokens"); left < Rows; left++)
                {
                    await provider.IssueSingleUseTokenAsync("sweep", user.Id, TimeSpan.FromMinutes(5));
                }
            });
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> again and again, cancelling it after a growing busy wait (from at once to well
    /// after it would have finished), and calls <paramref name="verify"/> after each with whether it completed.
    /// Fails unless some attempts were cancelled and (when <paramref name="requireCompletion"/>) some completed.
    /// <paramref name="prepare"/>, when given, runs uncancelled before each attempt.
    /// </summary>
    private static async Task SweepAsync(
        Func<CancellationToken, Task> attempt, Func<bool, Task> verify, bool requireCompletion = true, Func<Task>? prepare = null)
    {
        // Microseconds: 0, then ×1.5 from 20 µs to about 60 ms, then one long enough for any engine to finish.
        var delays = new List<double> { 0 };
        for (var delay = 20.0; delay < 60_000; delay *= 1.5)
        {
            delays.Add(delay);
        }

        delays.Add(500_000);
        var (cancelled, completed) = (0, 0);
        var trace = new List<string>();
        foreach (var delay in delays)
        {
            if (prepare is not null)
            {
                await prepare();
            }

            using var source = new CancellationTokenSource();
            var finished = 0;
            var ticks = (long)(delay * Stopwatch.Frequency / 1_000_000);

            // The canceller busy-waits on a thread of its own, not a sleep nor a pool thread: timers are too coarse to land
            // inside an operation that takes a millisecond, and a spinning pool thread would starve the operation's continuations.
            var canceller = new Thread(() =>
            {
                var until = Stopwatch.GetTimestamp() + ticks;
                while (Stopwatch.GetTimestamp() < until && Volatile.Read(ref finished) == 0)
                {
                    Thread.SpinWait(20);
                }

                if (Volatile.Read(ref finished) == 0)
                {
                    source.Cancel();
                }
            }) { IsBackground = true };
            canceller.Start();
            var caught = await Record.ExceptionAsync(() => attempt(source.Token));
            Volatile.Write(ref finished, 1);
            canceller.Join();
            trace.Add($"{delay:0} µs: {caught?.GetType().Name ?? "completed"}");
            var done = caught switch
            {
                null => true,
                OperationCanceledException => false,
                var other => throw new Xunit.Sdk.XunitException($"The attempt after {delay:0} µs failed with something other than cancellation: {other}"),
            };
            (cancelled, completed) = done ? (cancelled, completed + 1) : (cancelled + 1, completed);
            await verify(done);
        }

        Assert.True(cancelled > 0, $"No attempt was cancelled: the sweep never reached the operation ({string.Join(", ", trace)}).");
        Assert.True(!requireCompletion || completed > 0, $"No attempt completed: the sweep never outlasted the operation ({string.Join(", ", trace)}).");
    }

    private static OAuthProviderRegistration Registration(string name, int attempt, string secret) =>
        new(name, $"client-{attempt}", secret, new Uri("https://idp.example.org/authorize"), new Uri("https://idp.example.org/token"),
            Scopes: [$"scope{attempt}.a", $"scope{attempt}.b"], DisplayName: $"Provider {attempt}");

    private static string MethodOf(string caseName) => caseName.Split(' ')[0];

    /// <summary>One call per public store method, with valid arguments so that only the token can make it fail.</summary>
    private static List<(string Name, Func<IDatabaseProvider, CancellationToken, Task> Call)> Cases(Seeded s)
    {
        var later = s.Now.AddDays(30);
        return
        [
            ("IUserStore.CreateUserAsync", (db, ct) => db.CreateUserAsync(new NewUser(Unique.Email()), ct)),
            ("IUserStore.UpsertUserAsync", (db, ct) => db.UpsertUserAsync(new NewUser(s.User.Email, "Renamed"), ct)),
            ("IUserStore.GetUserAsync", (db, ct) => db.GetUserAsync(s.User.Id, ct)),
            ("IUserStore.GetUserByEmailAsync", (db, ct) => db.GetUserByEmailAsync(s.User.Email, ct)),
            ("IUserStore.UpdateUserAsync", (db, ct) => db.UpdateUserAsync(s.User with { DisplayName = "Renamed" }, ct)),
            ("IUserStore.DeleteUserAsync", (db, ct) => db.DeleteUserAsync(s.User.Id, ct)),
            ("IUserStore.ListUsersAsync", (db, ct) => db.ListUsersAsync(UserQuery.All, PageRequest.First, ct)),
            ("IUserStore.CountUsersAsync", (db, ct) => db.CountUsersAsync(UserQuery.All, ct)),
            ("IUserStore.RecordLoginAsync", (db, ct) => db.RecordLoginAsync(s.User.Id, ct)),

            ("IRoleStore.CreateRoleAsync", (db, ct) => db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: ["x.read", "y.read"]), ct)),
            ("IRoleStore.GetRoleAsync", (db, ct) => db.GetRoleAsync(s.Role.Id, ct)),
            ("IRoleStore.GetRoleByNameAsync", (db, ct) => db.GetRoleByNameAsync(s.Role.Name, ct)),
            ("IRoleStore.UpdateRoleAsync", (db, ct) => db.UpdateRoleAsync(s.Role with { Permissions = ["z.write"] }, ct)),
            ("IRoleStore.DeleteRoleAsync", (db, ct) => db.DeleteRoleAsync(s.Role.Id, ct)),
            ("IRoleStore.ListRolesAsync", (db, ct) => db.ListRolesAsync(PageRequest.First, ct)),
            ("IRoleStore.AssignRoleAsync", (db, ct) => db.AssignRoleAsync(s.User.Id, s.OtherRole.Id, ct)),
            ("IRoleStore.RevokeRoleAsync", (db, ct) => db.RevokeRoleAsync(s.User.Id, s.Role.Id, ct)),
            ("IRoleStore.GetUserRolesAsync", (db, ct) => db.GetUserRolesAsync(s.User.Id, ct)),
            ("IRoleStore.GetUsersInRoleAsync", (db, ct) => db.GetUsersInRoleAsync(s.Role.Id, PageRequest.First, ct)),
            ("IRoleStore.GetEffectivePermissionsAsync", (db, ct) => db.GetEffectivePermissionsAsync(s.User.Id, ct)),

            ("IDirectoryMappingStore.UpsertDirectoryMappingAsync", (db, ct) => db.UpsertDirectoryMappingAsync(Unique.Name("group"), s.Role.Id, null, ct)),
            ("IDirectoryMappingStore.DeleteDirectoryMappingAsync", (db, ct) => db.DeleteDirectoryMappingAsync(s.Mapping.Id, ct)),
            ("IDirectoryMappingStore.ListDirectoryMappingsAsync", (db, ct) => db.ListDirectoryMappingsAsync(PageRequest.First, ct)),
            ("IDirectoryMappingStore.GetRolesForGroupsAsync", (db, ct) => db.GetRolesForGroupsAsync([s.Mapping.Group], ct)),
            ("IDirectoryMappingStore.GetRolesForGroupsAsync (no groups)", (db, ct) => db.GetRolesForGroupsAsync([], ct)),

            ("IOAuthProviderStore.UpsertOAuthProviderAsync", (db, ct) => db.UpsertOAuthProviderAsync(Registration(s.Provider.Name, 2, "another-client-secret"), ct)),
            ("IOAuthProviderStore.GetOAuthProviderAsync", (db, ct) => db.GetOAuthProviderAsync(s.Provider.Name, ct)),
            ("IOAuthProviderStore.ListOAuthProvidersAsync", (db, ct) => db.ListOAuthProvidersAsync(false, PageRequest.First, ct)),
            ("IOAuthProviderStore.DeleteOAuthProviderAsync", (db, ct) => db.DeleteOAuthProviderAsync(s.Provider.Name, ct)),

            ("IOAuthTokenStore.UpsertOAuthTokenAsync", (db, ct) => db.UpsertOAuthTokenAsync(new OAuthTokenGrant(s.User.Id, s.Provider.Name, "another-access-token"), ct)),
            ("IOAuthTokenStore.GetOAuthTokenAsync", (db, ct) => db.GetOAuthTokenAsync(s.User.Id, s.Provider.Name, ct)),
            ("IOAuthTokenStore.ListOAuthTokensAsync", (db, ct) => db.ListOAuthTokensAsync(s.User.Id, ct)),
            ("IOAuthTokenStore.DeleteOAuthTokenAsync", (db, ct) => db.DeleteOAuthTokenAsync(s.User.Id, s.Provider.Name, ct)),
            ("IOAuthTokenStore.PruneExpiredOAuthTokensAsync", (db, ct) => db.PruneExpiredOAuthTokensAsync(later, ct)),

            ("IApiKeyStore.CreateApiKeyAsync", (db, ct) => db.CreateApiKeyAsync(new NewApiKey(s.User.Id, "another key"), ct)),
            ("IApiKeyStore.VerifyApiKeyAsync", async (db, ct) => await db.VerifyApiKeyAsync(s.ApiKey.Secret, ct)),
            ("IApiKeyStore.VerifyApiKeyAsync (malformed key)", async (db, ct) => await db.VerifyApiKeyAsync(MalformedToken, ct)),
            ("IApiKeyStore.GetApiKeyAsync", (db, ct) => db.GetApiKeyAsync(s.ApiKey.Key.Id, ct)),
            ("IApiKeyStore.ListApiKeysAsync", (db, ct) => db.ListApiKeysAsync(s.User.Id, ct)),
            ("IApiKeyStore.RevokeApiKeyAsync", (db, ct) => db.RevokeApiKeyAsync(s.ApiKey.Key.Id, ct)),
            ("IApiKeyStore.DeleteApiKeyAsync", (db, ct) => db.DeleteApiKeyAsync(s.ApiKey.Key.Id, ct)),
            ("IApiKeyStore.IncrementApiKeyUsageAsync", (db, ct) => db.IncrementApiKeyUsageAsync(s.ApiKey.Key.Id, TimeSpan.FromMinutes(1), ct)),
            ("IApiKeyStore.GetApiKeyUsageAsync", (db, ct) => db.GetApiKeyUsageAsync(s.ApiKey.Key.Id, s.Now.AddHours(-1), s.Now.AddHours(1), ct)),
            ("IApiKeyStore.PruneApiKeyUsageAsync", (db, ct) => db.PruneApiKeyUsageAsync(later, ct)),

            ("IConfigStore.GetConfigAsync", (db, ct) => db.GetConfigAsync(s.ConfigKey, ct)),
            ("IConfigStore.GetConfigValueAsync", (db, ct) => db.GetConfigValueAsync(s.ConfigKey, ConfigTestJsonContext.Default.Int32, ct)),
            ("IConfigStore.SetConfigAsync", (db, ct) => db.SetConfigAsync(s.ConfigKey, JsonSerializer.SerializeToElement(2, ConfigTestJsonContext.Default.Int32), null, ct)),
            ("IConfigStore.DeleteConfigAsync", (db, ct) => db.DeleteConfigAsync(s.ConfigKey, ct)),
            ("IConfigStore.ListConfigAsync", (db, ct) => db.ListConfigAsync("cancel.", PageRequest.First, ct)),
            ("ConfigStoreExtensions.GetConfigValueAsync", (db, ct) => db.GetConfigValueAsync<int>(s.ConfigKey, options: null, cancellationToken: ct)),
            ("ConfigStoreExtensions.SetConfigValueAsync", (db, ct) => db.SetConfigValueAsync(s.ConfigKey, 3, null, null, ct)),

            ("IMcpServerStore.UpsertMcpServerAsync", (db, ct) => db.UpsertMcpServerAsync(new McpServerRegistration(s.Server.Name, s.Server.Url, "changed", Tags: ["new"]), ct)),
            ("IMcpServerStore.GetMcpServerAsync", (db, ct) => db.GetMcpServerAsync(s.Server.Id, ct)),
            ("IMcpServerStore.GetMcpServerByNameAsync", (db, ct) => db.GetMcpServerByNameAsync(s.Server.Name, ct)),
            ("IMcpServerStore.ListMcpServersAsync", (db, ct) => db.ListMcpServersAsync(McpServerQuery.All, PageRequest.First, ct)),
            ("IMcpServerStore.DeleteMcpServerAsync", (db, ct) => db.DeleteMcpServerAsync(s.Server.Id, ct)),

            ("ICredentialStore.CreateCredentialAsync", (db, ct) => db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), "another-credential-secret"), ct)),
            ("ICredentialStore.GetCredentialAsync", (db, ct) => db.GetCredentialAsync(s.Credential.Id, ct)),
            ("ICredentialStore.UpdateCredentialAsync", (db, ct) => db.UpdateCredentialAsync(s.Credential with { Description = "changed" }, ct)),
            ("ICredentialStore.DeleteCredentialAsync", (db, ct) => db.DeleteCredentialAsync(s.Credential.Id, ct)),
            ("ICredentialStore.ListCredentialsAsync", (db, ct) => db.ListCredentialsAsync(PageRequest.First, ct)),
            ("ICredentialStore.RecordCredentialUseAsync", (db, ct) => db.RecordCredentialUseAsync(s.Credential.Id, true, ct)),
            ("ICredentialStore.CreateCredentialTagAsync", (db, ct) => db.CreateCredentialTagAsync(Unique.Name("tag"), null, ct)),
            ("ICredentialStore.ListCredentialTagsAsync", (db, ct) => db.ListCredentialTagsAsync(ct)),
            ("ICredentialStore.DeleteCredentialTagAsync", (db, ct) => db.DeleteCredentialTagAsync(s.Tag.Id, ct)),
            ("ICredentialStore.TagCredentialAsync", (db, ct) => db.TagCredentialAsync(s.Credential.Id, s.OtherTag.Id, 1, ct)),
            ("ICredentialStore.UntagCredentialAsync", (db, ct) => db.UntagCredentialAsync(s.Credential.Id, s.Tag.Id, ct)),
            ("ICredentialStore.GetCredentialsForTagAsync", (db, ct) => db.GetCredentialsForTagAsync(s.Tag.Id, PageRequest.First, ct)),

            ("ISessionStore.CreateSessionAsync", (db, ct) => db.CreateSessionAsync(new NewLoginSession(s.User.Id, TimeSpan.FromHours(1)), ct)),
            ("ISessionStore.GetSessionAsync", (db, ct) => db.GetSessionAsync(s.Session.Token, ct)),
            ("ISessionStore.GetSessionAsync (malformed token)", (db, ct) => db.GetSessionAsync(MalformedToken, ct)),
            ("ISessionStore.TouchSessionAsync", (db, ct) => db.TouchSessionAsync(s.Session.Session.Id, null, ct)),
            ("ISessionStore.RevokeSessionAsync", (db, ct) => db.RevokeSessionAsync(s.Session.Session.Id, ct)),
            ("ISessionStore.RevokeUserSessionsAsync", (db, ct) => db.RevokeUserSessionsAsync(s.User.Id, ct)),
            ("ISessionStore.ListUserSessionsAsync", (db, ct) => db.ListUserSessionsAsync(s.User.Id, activeOnly: true, PageRequest.First, ct)),
            ("IDataStreams.StreamApiKeyUsageAsync", (db, ct) => DrainAsync(db.StreamApiKeyUsageAsync(ct))),
            ("IDataStreams.StreamApiKeysAsync", (db, ct) => DrainAsync(db.StreamApiKeysAsync(ct))),
            ("IDataStreams.StreamAuditEntriesAsync", (db, ct) => DrainAsync(db.StreamAuditEntriesAsync(ct))),
            ("IDataStreams.StreamConfigEntriesAsync", (db, ct) => DrainAsync(db.StreamConfigEntriesAsync(ct))),
            ("IDataStreams.StreamCredentialTagLinksAsync", (db, ct) => DrainAsync(db.StreamCredentialTagLinksAsync(ct))),
            ("IDataStreams.StreamCredentialTagsAsync", (db, ct) => DrainAsync(db.StreamCredentialTagsAsync(ct))),
            ("IDataStreams.StreamCredentialsAsync", (db, ct) => DrainAsync(db.StreamCredentialsAsync(ct))),
            ("IDataStreams.StreamDirectoryMappingsAsync", (db, ct) => DrainAsync(db.StreamDirectoryMappingsAsync(ct))),
            ("IDataStreams.StreamMcpServersAsync", (db, ct) => DrainAsync(db.StreamMcpServersAsync(ct))),
            ("IDataStreams.StreamOAuthProvidersAsync", (db, ct) => DrainAsync(db.StreamOAuthProvidersAsync(ct))),
            ("IDataStreams.StreamOAuthTokensAsync", (db, ct) => DrainAsync(db.StreamOAuthTokensAsync(ct))),
            ("IDataStreams.StreamRolesAsync", (db, ct) => DrainAsync(db.StreamRolesAsync(ct))),
            ("IDataStreams.StreamSessionsAsync", (db, ct) => DrainAsync(db.StreamSessionsAsync(ct))),
            ("IDataStreams.StreamSingleUseTokensAsync", (db, ct) => DrainAsync(db.StreamSingleUseTokensAsync(ct))),
            ("IDataStreams.StreamUserRolesAsync", (db, ct) => DrainAsync(db.StreamUserRolesAsync(ct))),
            ("IDataStreams.StreamUsersAsync", (db, ct) => DrainAsync(db.StreamUsersAsync(ct))),
            ("ISessionStore.PruneExpiredSessionsAsync", (db, ct) => db.PruneExpiredSessionsAsync(later, ct)),
            ("ISessionStore.IssueSingleUseTokenAsync", (db, ct) => db.IssueSingleUseTokenAsync("cancel", s.User.Id, TimeSpan.FromMinutes(5), ct)),
            ("ISessionStore.TryConsumeSingleUseTokenAsync", (db, ct) => db.TryConsumeSingleUseTokenAsync("cancel", s.SingleUse.Value, ct)),
            ("ISessionStore.TryConsumeSingleUseTokenAsync (malformed token)", (db, ct) => db.TryConsumeSingleUseTokenAsync("cancel", MalformedToken, ct)),

            ("IAuditLog.AppendAuditAsync", (db, ct) => db.AppendAuditAsync(new NewAuditEntry("cancel.append"), ct)),
            ("IAuditLog.QueryAuditAsync", (db, ct) => db.QueryAuditAsync(AuditQuery.All, PageRequest.First, ct)),
            ("IAuditLog.PurgeAuditAsync", (db, ct) => db.PurgeAuditAsync(later, ct)),

            ("IDatabaseLifecycle.InitializeAsync", (db, ct) => db.InitializeAsync(ct)),
            ("IDatabaseLifecycle.MigrateAsync", (db, ct) => db.MigrateAsync(ct)),
            ("IDatabaseLifecycle.GetSchemaVersionAsync", (db, ct) => db.GetSchemaVersionAsync(ct)),
            ("IDatabaseLifecycle.GetPendingMigrationSqlAsync", (db, ct) => db.GetPendingMigrationSqlAsync(ct)),
            ("IDatabaseLifecycle.CheckHealthAsync", (db, ct) => db.CheckHealthAsync(ct)),
            ("IDatabaseLifecycle.CountRowsAsync", (db, ct) => db.CountRowsAsync(ct)),
        ];
    }

    /// <summary>One of everything, through the public API, for the cancelled calls to point at.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: ["a.read", "b.read"]));
        var otherRole = await Db.CreateRoleAsync(new NewRole(Unique.Name("other")));
        await Db.AssignRoleAsync(user.Id, role.Id);
        var mapping = await Db.UpsertDirectoryMappingAsync(Unique.Name("group"), role.Id);
        var provider = await Db.UpsertOAuthProviderAsync(Registration(Unique.Name("idp"), 1, "client-secret-value"));
        await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, provider.Name, "access-token-value", ExpiresAt: DateTimeOffset.UtcNow.AddHours(1)));
        var apiKey = await Db.CreateApiKeyAsync(new NewApiKey(user.Id, "key"));
        await Db.IncrementApiKeyUsageAsync(apiKey.Key.Id, TimeSpan.FromMinutes(1));
        var configKey = $"cancel.{Unique.Suffix()}";
        await Db.SetConfigAsync(configKey, JsonSerializer.SerializeToElement(1, ConfigTestJsonContext.Default.Int32));
        var server = await Db.UpsertMcpServerAsync(new McpServerRegistration(Unique.Name("mcp"), new Uri("https://mcp.example.org/"), Tags: ["one", "two"]));
        var credential = await Db.CreateCredentialAsync(new NewCredential(Unique.Name("svc"), "credential-secret"));
        var tag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        var otherTag = await Db.CreateCredentialTagAsync(Unique.Name("tag"));
        await Db.TagCredentialAsync(credential.Id, tag.Id, 1);
        var session = await Db.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromHours(1)));
        var singleUse = await Db.IssueSingleUseTokenAsync("cancel", user.Id, TimeSpan.FromMinutes(5));
        await Db.AppendAuditAsync(new NewAuditEntry("cancel.seed"));
        foreach (var secret in new[] { apiKey.Secret, session.Token, singleUse.Value, "client-secret-value", "another-client-secret", "another-access-token", "access-token-value", "credential-secret", "another-credential-secret" })
        {
            fixture.RegisterSecret(secret);
        }

        return new Seeded(DateTimeOffset.UtcNow, user, role, otherRole, mapping, provider, apiKey, configKey, server, credential, tag, otherTag, session, singleUse);
    }

    /// <summary>Every row of every table, as text, table by table.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync(string url)
    {
        var raw = await fixture.OpenRawConnectionAsync(url);
        await using (raw)
        {
            var tables = await raw.QueryAsync<string>(new CommandDefinition(fixture.Backend == "sqlite"
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                : "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"));
            var snapshot = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                // Table names come from the engine's catalog, never from input.
                var rows = await raw.QueryAsync(new CommandDefinition($"SELECT * FROM \"{table}\""));
                snapshot[table] = [.. rows.Cast<IDictionary<string, object?>>()
                    .Select(row => string.Join("|", row.Select(column => $"{column.Key}={Format(column.Value)}")))
                    .Order(StringComparer.Ordinal)];
            }

            return snapshot;
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => string.Join(",", items.Cast<object?>().Select(Format)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void AssertSameRows(Dictionary<string, List<string>> before, Dictionary<string, List<string>> after)
    {
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (table, rows) in before)
        {
            var now = after[table];
            Assert.True(rows.SequenceEqual(now),
                $"Table {table} changed: {rows.Count} row(s) before, {now.Count} after; " +
                $"gone: [{string.Join("; ", rows.Except(now))}], new: [{string.Join("; ", now.Except(rows))}].");
        }
    }

    private async Task<long> CountAsync(string url, string table)
    {
        var raw = await fixture.OpenRawConnectionAsync(url);
        await using (raw)
        {
            // The table name is one of the library's own, never input.
            return await raw.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}"));
        }
    }

    private sealed record Seeded(
        DateTimeOffset Now,
        User User,
        Role Role,
        Role OtherRole,
        DirectoryGroupMapping Mapping,
        OAuthProvider Provider,
        CreatedApiKey ApiKey,
        string ConfigKey,
        McpServer Server,
        Credential Credential,
        CredentialTag Tag,
        CredentialTag OtherTag,
        CreatedLoginSession Session,
        IssuedSingleUseToken SingleUse)
    {
        /// <summary>Enough to name the cases; never called with.</summary>
        public static Seeded Placeholder { get; } = new(
            default, null!, null!, null!, null!, null!, null!, "", null!, null!, null!, null!, null!, null!);
    }

    private static async Task DrainAsync<T>(IAsyncEnumerable<T> rows)
    {
        await foreach (var _ in rows)
        {
        }
    }
}
