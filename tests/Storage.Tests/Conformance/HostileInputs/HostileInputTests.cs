using System.Diagnostics;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace GatewayStorage.Tests.Conformance.HostileInputs;

/// <summary>
/// The corpus of hostile inputs through every text-taking method, on SQLite and PostgreSQL side by side: each input
/// is either refused on both engines with the same exception type, or read back as the same text on both; a refused
/// write leaves no row behind.
/// </summary>
public sealed class HostileInputTests(SqliteFixture sqlite, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<SqliteFixture>, IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly List<Engine> _engines = [];

    private const string IdpName = "corpus-idp";
    private const string Purpose = "corpus-purpose";

    private delegate Task<string> Probe(Engine engine, string? input);

    [Fact]
    public void The_corpus_holds_at_least_200_inputs() =>
        Assert.True(HostileInputCorpus.Count >= 200, $"The corpus holds {HostileInputCorpus.Count} inputs.");

    [Fact]
    public async Task Every_text_input_is_refused_alike_or_reads_back_alike_through_every_text_taking_method_on_both_engines()
    {
        var (lite, pg) = await EnginesAsync();
        var probes = TextProbes();
        var results = await Task.WhenAll(
            RunAsync(lite, probes, HostileInputCorpus.Texts),
            RunAsync(pg, probes, HostileInputCorpus.Texts));

        AssertSameOutcomes(results[0], results[1]);

        // Where a field is stored as given, what reads back is the input itself, code unit for code unit.
        var changed = results[0]
            .Where(r => ExactProbes.Contains(r.Probe) && r.Outcome.StartsWith("ok:", StringComparison.Ordinal) && r.Outcome != "ok:" + (r.Input ?? "null"))
            .Select(r => $"{r.Probe}({Show(r.Input)}) read back {Show(r.Outcome)}")
            .ToList();
        Assert.True(changed.Count == 0, string.Join("\n", changed.Take(20)));

        string Outcome(string probe, string input) => results[0].Single(r => r.Probe == probe && r.Input == input).Outcome;
        Assert.Equal(nameof(ArgumentException), Outcome("CreateUserAsync.DisplayName", "a\uD800b"));
        Assert.Equal(nameof(ArgumentException), Outcome("AppendAuditAsync.Details", "a\uD800b"));
        Assert.Equal(nameof(ArgumentException), Outcome("CreateCredentialAsync.Secret", "ab\0c"));
        Assert.Equal("ok:\uD83D\uDE00", Outcome("CreateUserAsync.DisplayName", "\uD83D\uDE00"));
        Assert.Equal("ok:cafe\u0301", Outcome("CreateRoleAsync.Description", "cafe\u0301"));
        Assert.Equal(nameof(DuplicateKeyException), Outcome("CreateRoleAsync.Name", "cafe\u0301"));
    }

    private static readonly HashSet<string> ExactProbes =
    [
        "CreateUserAsync.DisplayName", "UpsertUserAsync.DisplayName", "UpdateUserAsync.DisplayName", "CreateRoleAsync.Description",
        "UpsertDirectoryMappingAsync.Description", "UpsertOAuthProviderAsync.ClientId", "UpsertOAuthProviderAsync.ClientSecret",
        "UpsertOAuthProviderAsync.DisplayName", "UpsertOAuthTokenAsync.AccessToken", "UpsertOAuthTokenAsync.RefreshToken",
        "UpsertOAuthTokenAsync.TokenType", "CreateApiKeyAsync.Name", "UpsertMcpServerAsync.Description", "CreateCredentialAsync.Username",
        "CreateCredentialAsync.Secret", "CreateCredentialAsync.Description", "UpdateCredentialAsync.Description", "CreateCredentialTagAsync.Name",
        "CreateCredentialTagAsync.Description", "CreateSessionAsync.IpAddress", "CreateSessionAsync.UserAgent", "AppendAuditAsync.Action",
        "AppendAuditAsync.Actor", "AppendAuditAsync.TargetType", "AppendAuditAsync.TargetId", "AppendAuditAsync.IpAddress",
    ];

    [Fact]
    public async Task Every_json_input_is_refused_alike_or_reads_back_as_the_same_canonical_text_on_both_engines()
    {
        var (lite, pg) = await EnginesAsync();
        var inputs = HostileInputCorpus.Json.Select(j => j.Name).ToList();
        var probes = new (string, Probe, string?)[]
        {
            ("SetConfigAsync.value", async (e, name) =>
            {
                var key = "corpus/json/" + e.Next();
                var set = await e.Db.SetConfigAsync(key, JsonOf(name!));
                var read = await e.Db.GetConfigAsync(key);
                Assert.Equal(set.Value.GetRawText(), read!.Value.GetRawText());
                Assert.True(read.Value.GetRawText().Length <= 1024 * 1024);
                return read.Value.GetRawText();
            }, "config_entries"),
            ("AppendAuditAsync.Details", async (e, name) =>
            {
                var entry = await e.Db.AppendAuditAsync(new NewAuditEntry("corpus.json", Details: JsonOf(name!)));
                var text = entry.Details!.Value.GetRawText();
                Assert.True(text.Length <= 64 * 1024);
                return text;
            }, "audit_log"),
        };

        var results = await Task.WhenAll(RunAsync(lite, probes, inputs), RunAsync(pg, probes, inputs));

        AssertSameOutcomes(results[0], results[1]);
        var accepted = results[0].Where(r => r.Outcome.StartsWith("ok:", StringComparison.Ordinal)).ToList();
        Assert.Contains(accepted, r => r.Input == "object order" && r.Outcome == """ok:{"b":1,"a":2}""");
        Assert.Contains(accepted, r => r.Input == "white space" && r.Outcome == """ok:{"a":[1,2],"b":null}""");
        Assert.Contains(accepted, r => r.Input == "exponent upper" && r.Outcome == "ok:1E2");
        Assert.Contains(accepted, r => r.Input == "negative zero" && r.Outcome == "ok:-0");
        Assert.Contains(accepted, r => r.Input == "escapes" && r.Outcome == "ok:\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u0080\u2028\u00e9\uFEFF\uffff\"");
        foreach (var refused in new[] { "huge exponent", "huge exponent numeric limit", "double underflow", "long decimal 20000", "duplicate names", "nul escape", "lone high escape", "nested 65", "invalid utf-8 byte" })
        {
            Assert.All(results[0].Where(r => r.Input == refused), r => Assert.Equal(nameof(ArgumentException), r.Outcome));
        }
    }

    [Fact]
    public async Task Every_cursor_no_list_returned_is_refused_alike_on_both_engines()
    {
        var (lite, pg) = await EnginesAsync();
        var probes = new (string, Probe, string?)[]
        {
            ("ListUsersAsync.Cursor", async (e, c) => Describe((await e.Db.ListUsersAsync(new UserQuery(), new PageRequest(5, c))).Items.Count), null),
            ("ListRolesAsync.Cursor", async (e, c) => Describe((await e.Db.ListRolesAsync(new PageRequest(5, c))).Items.Count), null),
            ("ListConfigAsync.Cursor", async (e, c) => Describe((await e.Db.ListConfigAsync("", new PageRequest(5, c))).Items.Count), null),
            ("ListMcpServersAsync.Cursor", async (e, c) => Describe((await e.Db.ListMcpServersAsync(new McpServerQuery(), new PageRequest(5, c))).Items.Count), null),
            ("QueryAuditAsync.Cursor", async (e, c) => Describe((await e.Db.QueryAuditAsync(new AuditQuery(), new PageRequest(5, c))).Items.Count), null),
        };

        var results = await Task.WhenAll(RunAsync(lite, probes, HostileInputCorpus.Cursors), RunAsync(pg, probes, HostileInputCorpus.Cursors));

        AssertSameOutcomes(results[0], results[1]);
        Assert.All(results[0].Where(r => r.Input!.Contains('\0', StringComparison.Ordinal) || r.Input.Length < 4), r => Assert.Equal(nameof(ArgumentException), r.Outcome));
    }

    [Fact]
    public async Task UpdateRoleAsync_refuses_null_permissions_and_keeps_the_stored_ones_on_both_engines()
    {
        var (lite, pg) = await EnginesAsync();
        foreach (var engine in new[] { lite, pg })
        {
            var role = await engine.Db.CreateRoleAsync(new NewRole("corpus-null-permissions", Permissions: ["read"]));

            await Assert.ThrowsAsync<ArgumentNullException>(() => engine.Db.UpdateRoleAsync(role with { Permissions = null! }));

            Assert.Equal(["read"], (await engine.Db.GetRoleAsync(role.Id))!.Permissions);
        }
    }

    private static void AssertSameOutcomes(List<Result> sqliteResults, List<Result> postgresResults)
    {
        Assert.Equal(sqliteResults.Count, postgresResults.Count);
        var differences = new List<string>();
        for (var i = 0; i < sqliteResults.Count; i++)
        {
            var (a, b) = (sqliteResults[i], postgresResults[i]);
            if (!string.Equals(a.Outcome, b.Outcome, StringComparison.Ordinal))
            {
                differences.Add($"{a.Probe}({Show(a.Input)}): sqlite {Show(a.Outcome)} / postgres {Show(b.Outcome)}");
            }
        }

        var problems = sqliteResults.Concat(postgresResults).Where(r => r.Problem is not null).Select(r => $"{r.Probe}({Show(r.Input)}): {r.Problem}").ToList();
        Assert.True(differences.Count == 0 && problems.Count == 0, string.Join("\n", differences.Concat(problems).Take(40)));
    }

    /// <summary>
    /// Runs every probe over every input. Probes of one domain run in order; domains touch disjoint tables, so they run
    /// side by side (the corpus stays fast on PostgreSQL) and their results are put back in probe order.
    /// </summary>
    private async Task<List<Result>> RunAsync(Engine engine, IReadOnlyList<(string Name, Probe Run, string? Table)> probes, IReadOnlyList<string?> inputs)
    {
        var started = Stopwatch.GetTimestamp();
        var groups = probes.GroupBy(p => DomainOf(p.Name)).ToList();
        var runs = await Task.WhenAll(groups.Select(g => Task.Run(() => RunInOrderAsync(engine, [.. g], inputs))));
        var results = runs.SelectMany(r => r).OrderBy(r => probes.Select(p => p.Name).ToList().IndexOf(r.Probe)).ToList();
        output.WriteLine($"{engine.Backend}: {results.Count} calls in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
        return results;
    }

    private static string DomainOf(string probe)
    {
        foreach (var domain in (string[])["Audit", "OAuth", "ApiKey", "Config", "McpServer", "Credential", "Session", "SingleUseToken", "Role", "DirectoryMapping", "User"])
        {
            if (probe.Contains(domain, StringComparison.Ordinal))
            {
                return domain switch { "SingleUseToken" => "Session", "DirectoryMapping" => "Role", _ => domain };
            }
        }

        throw new ArgumentException($"No domain for the probe {probe}.", nameof(probe));
    }

    private static async Task<List<Result>> RunInOrderAsync(Engine engine, IReadOnlyList<(string Name, Probe Run, string? Table)> probes, IReadOnlyList<string?> inputs)
    {
        var results = new List<Result>(probes.Count * inputs.Count);

        // The row count of a table is read again only after a probe succeeded (and may have written): runs of refused inputs
        // share one count, which keeps the corpus fast on PostgreSQL.
        foreach (var (name, run, table) in probes)
        {
            long? known = null;
            foreach (var input in inputs)
            {
                var before = table is null ? 0 : known ??= await engine.CountAsync(table);
                string outcome;
                string? problem = null;
                try
                {
                    outcome = "ok:" + await run(engine, input);
                    known = null;
                }
                catch (Exception ex) when (ex is ArgumentException or DuplicateKeyException or EntityNotFoundException)
                {
                    outcome = ex.GetType().Name;
                    if (table is not null && await engine.CountAsync(table) != before)
                    {
                        problem = $"refused with {outcome} but a row was written to {table} on {engine.Backend}";
                        known = null;
                    }
                }
                catch (Exception ex)
                {
                    outcome = ex.GetType().Name;
                    problem = $"{engine.Backend} threw {ex.GetType().Name}: {ex.Message}";
                    known = null;
                }

                results.Add(new Result(name, input, outcome, problem));
            }
        }

        return results;
    }

    private static IReadOnlyList<(string Name, Probe Run, string? Table)> TextProbes() =>
    [
        // Users.
        ("CreateUserAsync.Email", async (e, s) => (await e.Db.CreateUserAsync(new NewUser(s!))).Email + "|" + (await e.Db.GetUserByEmailAsync(s!))!.Email, "users"),
        ("CreateUserAsync.DisplayName", async (e, s) => (await e.Db.GetUserAsync((await e.Db.CreateUserAsync(new NewUser(e.Email(), s))).Id))!.DisplayName ?? "null", "users"),
        ("UpsertUserAsync.DisplayName", async (e, s) => (await e.Db.GetUserAsync((await e.Db.UpsertUserAsync(new NewUser(e.Email(), s))).Id))!.DisplayName ?? "null", "users"),
        ("UpdateUserAsync.DisplayName", async (e, s) =>
        {
            var current = (await e.Db.GetUserAsync(e.UserId))!;
            await e.Db.UpdateUserAsync(current with { DisplayName = s });
            return (await e.Db.GetUserAsync(e.UserId))!.DisplayName ?? "null";
        }, "users"),
        ("GetUserByEmailAsync", async (e, s) => (await e.Db.GetUserByEmailAsync(s!))?.Email ?? "none", null),
        ("ListUsersAsync.Search", async (e, s) => Describe((await e.Db.ListUsersAsync(new UserQuery(s), new PageRequest(5))).Items.Count), null),
        ("CountUsersAsync.Search", async (e, s) => Describe(await e.Db.CountUsersAsync(new UserQuery(s))), null),

        // Roles.
        ("CreateRoleAsync.Name", async (e, s) => (await e.Db.CreateRoleAsync(new NewRole(s!))).Name + "|" + (await e.Db.GetRoleByNameAsync(s!))!.Name, "roles"),
        ("CreateRoleAsync.Description", async (e, s) => (await e.Db.GetRoleAsync((await e.Db.CreateRoleAsync(new NewRole(e.Name(), s))).Id))!.Description ?? "null", "roles"),
        ("CreateRoleAsync.Permissions", async (e, s) => string.Join("|", (await e.Db.GetRoleAsync((await e.Db.CreateRoleAsync(new NewRole(e.Name(), null, [s!]))).Id))!.Permissions), "role_permissions"),
        ("GetRoleByNameAsync", async (e, s) => (await e.Db.GetRoleByNameAsync(s!))?.Name ?? "none", null),
        ("UpdateRoleAsync.Permissions", async (e, s) =>
        {
            var current = (await e.Db.GetRoleAsync(e.RoleId))!;
            await e.Db.UpdateRoleAsync(current with { Permissions = [s!] });
            return string.Join("|", (await e.Db.GetRoleAsync(e.RoleId))!.Permissions);
        }, "role_permissions"),

        // Directory mappings.
        ("UpsertDirectoryMappingAsync.Group", async (e, s) => (await e.Db.UpsertDirectoryMappingAsync(s!, e.RoleId)).Group + "|" + Describe((await e.Db.GetRolesForGroupsAsync([s!])).Count), "directory_mappings"),
        ("UpsertDirectoryMappingAsync.Description", async (e, s) => (await e.Db.UpsertDirectoryMappingAsync(e.Name(), e.RoleId, s)).Description ?? "null", "directory_mappings"),
        ("GetRolesForGroupsAsync", async (e, s) => Describe((await e.Db.GetRolesForGroupsAsync([s!])).Count), null),

        // OAuth providers and tokens.
        ("UpsertOAuthProviderAsync.Name", async (e, s) => (await e.Db.UpsertOAuthProviderAsync(Provider(s!))).Name + "|" + (await e.Db.GetOAuthProviderAsync(s!))!.Name, "oauth_providers"),
        ("UpsertOAuthProviderAsync.ClientId", async (e, s) => await ReadProviderAsync(e, Provider(e.Name()) with { ClientId = s! }, p => p.ClientId), "oauth_providers"),
        ("UpsertOAuthProviderAsync.ClientSecret", async (e, s) => await ReadProviderAsync(e, Provider(e.Name()) with { ClientSecret = s! }, p => p.ClientSecret), "oauth_providers"),
        ("UpsertOAuthProviderAsync.DisplayName", async (e, s) => await ReadProviderAsync(e, Provider(e.Name()) with { DisplayName = s }, p => p.DisplayName ?? "null"), "oauth_providers"),
        ("UpsertOAuthProviderAsync.Scopes", async (e, s) => await ReadProviderAsync(e, Provider(e.Name()) with { Scopes = [s!] }, p => string.Join("|", p.Scopes)), "oauth_providers"),
        ("UpsertOAuthProviderAsync.AuthorizationEndpoint", async (e, s) => Uri.TryCreate("https://idp.example/" + s, UriKind.Absolute, out var uri)
            ? await ReadProviderAsync(e, Provider(e.Name()) with { AuthorizationEndpoint = uri }, p => p.AuthorizationEndpoint.OriginalString)
            : "not a URI", "oauth_providers"),
        ("GetOAuthProviderAsync", async (e, s) => (await e.Db.GetOAuthProviderAsync(s!))?.Name ?? "none", null),
        ("DeleteOAuthProviderAsync", async (e, s) => Describe(await e.Db.DeleteOAuthProviderAsync(s!)), null),
        ("UpsertOAuthTokenAsync.Provider", async (e, s) => (await e.Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(e.UserId, s!, "access"))).Provider, "oauth_tokens"),
        ("UpsertOAuthTokenAsync.AccessToken", async (e, s) => await ReadTokenAsync(e, new OAuthTokenGrant(e.UserId, IdpName, s!), t => t.AccessToken), "oauth_tokens"),
        ("UpsertOAuthTokenAsync.RefreshToken", async (e, s) => await ReadTokenAsync(e, new OAuthTokenGrant(e.UserId, IdpName, "access", s), t => t.RefreshToken ?? "null"), "oauth_tokens"),
        ("UpsertOAuthTokenAsync.Scopes", async (e, s) => await ReadTokenAsync(e, new OAuthTokenGrant(e.UserId, IdpName, "access", Scopes: [s!]), t => string.Join("|", t.Scopes)), "oauth_tokens"),
        ("UpsertOAuthTokenAsync.TokenType", async (e, s) => await ReadTokenAsync(e, new OAuthTokenGrant(e.UserId, IdpName, "access", TokenType: s), t => t.TokenType ?? "null"), "oauth_tokens"),
        ("GetOAuthTokenAsync.Provider", async (e, s) => (await e.Db.GetOAuthTokenAsync(e.UserId, s!))?.Provider ?? "none", null),
        ("DeleteOAuthTokenAsync.Provider", async (e, s) => Describe(await e.Db.DeleteOAuthTokenAsync(e.OtherUserId, s!)), null),

        // API keys.
        ("CreateApiKeyAsync.Name", async (e, s) => await ReadApiKeyAsync(e, new NewApiKey(e.UserId, s!), k => k.Name), "api_keys"),
        ("CreateApiKeyAsync.Scopes", async (e, s) => await ReadApiKeyAsync(e, new NewApiKey(e.UserId, e.Name(), Scopes: [s!]), k => string.Join("|", k.Scopes)), "api_keys"),
        ("VerifyApiKeyAsync", async (e, s) => (await e.Db.VerifyApiKeyAsync(s!))?.Name ?? "none", null),

        // Config.
        ("SetConfigAsync.Key", async (e, s) => (await e.Db.SetConfigAsync(s!, JsonOf("1"u8.ToArray()))).Key + "|" + (await e.Db.GetConfigAsync(s!))!.Key, "config_entries"),
        ("SetConfigAsync.StringValue", async (e, s) => await ReadConfigStringAsync(e, s), "config_entries"),
        ("GetConfigAsync", async (e, s) => (await e.Db.GetConfigAsync(s!))?.Key ?? "none", null),
        ("DeleteConfigAsync", async (e, s) => Describe(await e.Db.DeleteConfigAsync(s!)), null),
        ("ListConfigAsync.Prefix", async (e, s) => Describe((await e.Db.ListConfigAsync(s!, new PageRequest(5))).Items.Count), null),

        // MCP servers.
        ("UpsertMcpServerAsync.Name", async (e, s) => (await e.Db.UpsertMcpServerAsync(new McpServerRegistration(s!, new Uri("https://mcp.example/")))).Name + "|" + (await e.Db.GetMcpServerByNameAsync(s!))!.Name, "mcp_servers"),
        ("UpsertMcpServerAsync.Description", async (e, s) => (await e.Db.GetMcpServerAsync((await e.Db.UpsertMcpServerAsync(new McpServerRegistration(e.Name(), new Uri("https://mcp.example/"), s))).Id))!.Description ?? "null", "mcp_servers"),
        ("UpsertMcpServerAsync.Tags", async (e, s) => string.Join("|", (await e.Db.GetMcpServerAsync((await e.Db.UpsertMcpServerAsync(new McpServerRegistration(e.Name(), new Uri("https://mcp.example/"), Tags: [s!]))).Id))!.Tags), "mcp_servers"),
        ("UpsertMcpServerAsync.Url", async (e, s) => Uri.TryCreate("https://mcp.example/" + s, UriKind.Absolute, out var uri)
            ? (await e.Db.GetMcpServerAsync((await e.Db.UpsertMcpServerAsync(new McpServerRegistration(e.Name(), uri))).Id))!.Url.OriginalString
            : "not a URI", "mcp_servers"),
        ("GetMcpServerByNameAsync", async (e, s) => (await e.Db.GetMcpServerByNameAsync(s!))?.Name ?? "none", null),
        ("ListMcpServersAsync.Tag", async (e, s) => Describe((await e.Db.ListMcpServersAsync(new McpServerQuery(s), new PageRequest(5))).Items.Count), null),

        // Credentials and tags.
        ("CreateCredentialAsync.Username", async (e, s) => (await e.Db.GetCredentialAsync((await e.Db.CreateCredentialAsync(new NewCredential(s!, "secret"))).Id))!.Username, "credentials"),
        ("CreateCredentialAsync.Secret", async (e, s) => (await e.Db.GetCredentialAsync((await e.Db.CreateCredentialAsync(new NewCredential("corpus", s!))).Id))!.Secret, "credentials"),
        ("CreateCredentialAsync.Description", async (e, s) => (await e.Db.GetCredentialAsync((await e.Db.CreateCredentialAsync(new NewCredential("corpus", "secret", s))).Id))!.Description ?? "null", "credentials"),
        ("UpdateCredentialAsync.Description", async (e, s) =>
        {
            var current = (await e.Db.GetCredentialAsync(e.CredentialId))!;
            await e.Db.UpdateCredentialAsync(current with { Description = s });
            return (await e.Db.GetCredentialAsync(e.CredentialId))!.Description ?? "null";
        }, "credentials"),
        ("CreateCredentialTagAsync.Name", async (e, s) => (await e.Db.CreateCredentialTagAsync(s!)).Name, "credential_tags"),
        ("CreateCredentialTagAsync.Description", async (e, s) => (await e.Db.CreateCredentialTagAsync(e.Name(), s)).Description ?? "null", "credential_tags"),

        // Sessions and single-use tokens.
        ("CreateSessionAsync.IpAddress", async (e, s) => (await e.Db.GetSessionAsync((await e.Db.CreateSessionAsync(new NewLoginSession(e.UserId, TimeSpan.FromHours(1), s))).Token))!.IpAddress ?? "null", "sessions"),
        ("CreateSessionAsync.UserAgent", async (e, s) => (await e.Db.GetSessionAsync((await e.Db.CreateSessionAsync(new NewLoginSession(e.UserId, TimeSpan.FromHours(1), UserAgent: s))).Token))!.UserAgent ?? "null", "sessions"),
        ("GetSessionAsync", async (e, s) => (await e.Db.GetSessionAsync(s!)) is null ? "none" : "found", null),
        ("IssueSingleUseTokenAsync.Purpose", async (e, s) => Describe(await e.Db.TryConsumeSingleUseTokenAsync(s!, (await e.Db.IssueSingleUseTokenAsync(s!, null, TimeSpan.FromHours(1))).Value) is not null), "single_use_tokens"),
        ("TryConsumeSingleUseTokenAsync.Value", async (e, s) => Describe(await e.Db.TryConsumeSingleUseTokenAsync(Purpose, s!) is not null), null),

        // Audit.
        ("AppendAuditAsync.Action", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry(s!))).Action, "audit_log"),
        ("AppendAuditAsync.Actor", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry("corpus", Actor: s))).Actor ?? "null", "audit_log"),
        ("AppendAuditAsync.TargetType", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry("corpus", TargetType: s))).TargetType ?? "null", "audit_log"),
        ("AppendAuditAsync.TargetId", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry("corpus", TargetId: s))).TargetId ?? "null", "audit_log"),
        ("AppendAuditAsync.IpAddress", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry("corpus", IpAddress: s))).IpAddress ?? "null", "audit_log"),
        ("AppendAuditAsync.Details", async (e, s) => (await e.Db.AppendAuditAsync(new NewAuditEntry("corpus", Details: JsonString(s)))).Details?.GetRawText() ?? "null", "audit_log"),
        ("QueryAuditAsync.Actor", async (e, s) => Describe((await e.Db.QueryAuditAsync(new AuditQuery(Actor: s), new PageRequest(5))).Items.Count), null),
        ("QueryAuditAsync.Action", async (e, s) => Describe((await e.Db.QueryAuditAsync(new AuditQuery(Action: s), new PageRequest(5))).Items.Count), null),
        ("QueryAuditAsync.TargetId", async (e, s) => Describe((await e.Db.QueryAuditAsync(new AuditQuery(TargetId: s), new PageRequest(5))).Items.Count), null),
    ];

    private static OAuthProviderRegistration Provider(string name) =>
        new(name, "client", "client-secret", new Uri("https://idp.example/authorize"), new Uri("https://idp.example/token"));

    private static async Task<string> ReadProviderAsync(Engine e, OAuthProviderRegistration registration, Func<OAuthProvider, string> field)
    {
        await e.Db.UpsertOAuthProviderAsync(registration);
        return field((await e.Db.GetOAuthProviderAsync(registration.Name))!);
    }

    private static async Task<string> ReadTokenAsync(Engine e, OAuthTokenGrant grant, Func<OAuthToken, string> field)
    {
        await e.Db.UpsertOAuthTokenAsync(grant);
        return field((await e.Db.GetOAuthTokenAsync(grant.UserId, grant.Provider))!);
    }

    /// <summary>Creates a key, reads it back and deletes it again: a user may hold only so many keys, and the corpus is large.</summary>
    private static async Task<string> ReadApiKeyAsync(Engine e, NewApiKey key, Func<ApiKey, string> field)
    {
        var created = await e.Db.CreateApiKeyAsync(key);
        var value = field((await e.Db.GetApiKeyAsync(created.Key.Id))!);
        await e.Db.DeleteApiKeyAsync(created.Key.Id);
        return value;
    }

    private static async Task<string> ReadConfigStringAsync(Engine e, string? s)
    {
        var key = "corpus/text/" + e.Next();
        await e.Db.SetConfigAsync(key, JsonString(s));
        var read = (await e.Db.GetConfigAsync(key))!.Value;
        return read.GetRawText() + "|" + (read.ValueKind == JsonValueKind.String ? read.GetString() : "not a string");
    }

    /// <summary>The input as a JSON string with every character escaped, so that even a lone surrogate reaches the library as written.</summary>
    private static JsonElement JsonString(string? s)
    {
        if (s is null)
        {
            return JsonOf("null"u8.ToArray());
        }

        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }

        return JsonOf(Encoding.ASCII.GetBytes(text.Append('"').ToString()));
    }

    private static JsonElement JsonOf(string corpusName) => JsonOf(HostileInputCorpus.Json.Single(j => j.Name == corpusName).Utf8);

    private static JsonElement JsonOf(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 1000 });
        return document.RootElement.Clone();
    }

    private static string Describe(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static string Show(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var shown = new StringBuilder();
        foreach (var c in value.Length > 60 ? value[..60] + "…" : value)
        {
            shown.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return $"\"{shown}\" ({value.Length} chars)";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }

    private async Task<(Engine Sqlite, Engine Postgres)> EnginesAsync()
    {
        // One run id for both engines: every name a probe makes is the same on both, so searches match alike.
        var run = Guid.NewGuid().ToString("N")[..8];
        var engines = await Task.WhenAll(Engine.CreateAsync(sqlite, run), Engine.CreateAsync(postgres, run));
        _engines.AddRange(engines);
        return (engines[0], engines[1]);
    }

    private sealed record Result(string Probe, string? Input, string Outcome, string? Problem);

    /// <summary>One engine with the rows the probes hang off; names it makes are the same on both engines, in the same order.</summary>
    private sealed class Engine : IAsyncDisposable
    {
        private readonly IStorageFixture _fixture;
        private readonly System.Collections.Concurrent.ConcurrentBag<DbConnection> _raw = [];
        private readonly string _run;
        private int _next;

        private Engine(IStorageFixture fixture, string run)
        {
            _fixture = fixture;
            Backend = fixture.Backend;
            Db = fixture.Provider;
            _run = run;
        }

        public string Backend { get; }

        public IDatabaseProvider Db { get; }

        public Guid UserId { get; private set; }

        public Guid OtherUserId { get; private set; }

        public Guid RoleId { get; private set; }

        public Guid CredentialId { get; private set; }

        public static async Task<Engine> CreateAsync(IStorageFixture fixture, string run)
        {
            var engine = new Engine(fixture, run);
            var db = engine.Db;
            engine.UserId = (await db.CreateUserAsync(new NewUser(engine.Email()))).Id;
            engine.OtherUserId = (await db.CreateUserAsync(new NewUser(engine.Email()))).Id;
            engine.RoleId = (await db.CreateRoleAsync(new NewRole(engine.Name()))).Id;
            engine.CredentialId = (await db.CreateCredentialAsync(new NewCredential("corpus", "secret"))).Id;
            if (await db.GetOAuthProviderAsync(IdpName) is null)
            {
                await db.UpsertOAuthProviderAsync(Provider(IdpName));
            }

            await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(engine.OtherUserId, IdpName, "access"));
            return engine;
        }

        public async ValueTask DisposeAsync()
        {
            while (_raw.TryTake(out var connection))
            {
                await connection.DisposeAsync();
            }
        }

        // The run id keeps names apart between the test methods, which share a database; the counter keeps both engines in step.
        public string Next() => _run + "-" + (++_next).ToString(CultureInfo.InvariantCulture);

        public string Email() => $"u{Next()}@corpus.test";

        public string Name() => "n" + Next();

        public async Task<long> CountAsync(string table)
        {
            // One raw connection per concurrent caller: a connection is not safe to share between tasks.
            var connection = _raw.TryTake(out var idle) ? idle : await _fixture.OpenRawConnectionAsync(_fixture.Url);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM " + table;
                return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            }
            finally
            {
                _raw.Add(connection);
            }
        }
    }
}
