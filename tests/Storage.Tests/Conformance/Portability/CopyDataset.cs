using System.Text.Json;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Portability;

/// <summary>
/// A row in every table, written through the public API: secrets, Unicode, values at their maximum length, null
/// optionals, JSON config, API keys, sessions and single-use tokens. <see cref="AssertReadBackAsync"/> checks that a
/// provider over a copy returns every entity as written, verifies the API key and decrypts every secret.
/// </summary>
internal sealed class CopyDataset
{
    private static readonly Uri Endpoint = new("https://idp.example.org/authorize");

    private User _user = null!;
    private User _plainUser = null!;
    private Role _role = null!;
    private DirectoryGroupMapping _mapping = null!;
    private OAuthProvider _provider = null!;
    private OAuthToken _token = null!;
    private CreatedApiKey _apiKey = null!;
    private ConfigEntry _config = null!;
    private McpServer _server = null!;
    private Credential _credential = null!;
    private CredentialTag _tag = null!;
    private CreatedLoginSession _session = null!;
    private IssuedSingleUseToken _singleUse = null!;
    private AuditEntry _audit = null!;
    private AuditEntry _plainAudit = null!;
    private readonly List<string> _secrets = [];

    /// <summary>Every plaintext secret the dataset wrote: no copy or file may hold one.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    public static async Task<CopyDataset> SeedAsync(IDatabaseProvider db, IStorageFixture fixture)
    {
        var data = new CopyDataset();
        var email = new string('u', 64) + "@" + string.Join(".", Enumerable.Repeat(new string('d', 61), 3)) + ".org";
        data._user = await db.CreateUserAsync(new NewUser(email[..254], string.Concat(Enumerable.Repeat("Ж😀", 66)) + "Жé"));
        data._plainUser = await db.CreateUserAsync(new NewUser(Unique.Email(), DisplayName: null, IsActive: false));
        data._role = await db.CreateRoleAsync(new NewRole(Unique.Name("rôle"), string.Concat(Enumerable.Repeat("説明", 500)), ["read", "write.ünïcode"]));
        await db.AssignRoleAsync(data._user.Id, data._role.Id);
        data._mapping = await db.UpsertDirectoryMappingAsync("CN=Grüppe,DC=example,DC=org", data._role.Id);

        var clientSecret = "client-secret-" + Unique.Suffix();
        data.Register(fixture, clientSecret);
        data._provider = await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(Unique.Name("idp"), "client", clientSecret, Endpoint, Endpoint));
        var accessToken = "a" + new string('t', 15_999);
        data.Register(fixture, accessToken);
        data._token = await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(data._user.Id, data._provider.Name, accessToken, RefreshToken: null));

        data._apiKey = await db.CreateApiKeyAsync(new NewApiKey(data._user.Id, "ключ 🔑"));
        data.Register(fixture, data._apiKey.Secret);
        await db.IncrementApiKeyUsageAsync(data._apiKey.Key.Id, TimeSpan.FromMinutes(1));

        var json = JsonDocument.Parse("""{"name":"Zoë ☕","nested":{"list":[1,2.50,null,true],"empty":{}},"big":12345678901234567890}""").RootElement;
        data._config = await db.SetConfigAsync("copy/" + Unique.Suffix(), json);
        data._server = await db.UpsertMcpServerAsync(new McpServerRegistration(Unique.Name("mcp"), new Uri("https://mcp.example.org/ü"), Tags: ["b", "a"]));

        var secret = string.Concat(Enumerable.Repeat("秘密🔐", 1000));
        data.Register(fixture, secret);
        data._credential = await db.CreateCredentialAsync(new NewCredential("service", secret, Description: null));
        data._tag = await db.CreateCredentialTagAsync(Unique.Name("tag"));
        await db.TagCredentialAsync(data._credential.Id, data._tag.Id, 7);

        data._session = await db.CreateSessionAsync(new NewLoginSession(data._user.Id, TimeSpan.FromHours(1), "2001:db8::1", new string('b', 1000)));
        data.Register(fixture, data._session.Token);
        data._singleUse = await db.IssueSingleUseTokenAsync("password-reset", data._user.Id, TimeSpan.FromHours(1));
        data.Register(fixture, data._singleUse.Value);

        data._audit = await db.AppendAuditAsync(new NewAuditEntry("copy.test", "actør", "user", data._user.Id.ToString(), true, "192.0.2.1", json));
        data._plainAudit = await db.AppendAuditAsync(new NewAuditEntry("copy.plain"));
        return data;
    }

    private void Register(IStorageFixture fixture, string secret)
    {
        fixture.RegisterSecret(secret);
        _secrets.Add(secret);
    }

    /// <summary>Reads every entity back through <paramref name="db"/> and checks it is what was written.</summary>
    public async Task AssertReadBackAsync(IDatabaseProvider db)
    {
        Assert.Equivalent(_user, await db.GetUserAsync(_user.Id), strict: true);
        Assert.Equivalent(_plainUser, await db.GetUserAsync(_plainUser.Id), strict: true);
        Assert.Equivalent(_role, await db.GetRoleAsync(_role.Id), strict: true);
        Assert.Equal([_role.Id], (await db.GetUserRolesAsync(_user.Id)).Select(r => r.Id));
        Assert.Equivalent(_mapping, (await db.ListDirectoryMappingsAsync(new PageRequest())).Items.Single(), strict: true);
        Assert.Equivalent(_provider, await db.GetOAuthProviderAsync(_provider.Name), strict: true);
        Assert.Equivalent(_token, await db.GetOAuthTokenAsync(_user.Id, _provider.Name), strict: true);
        Assert.Equivalent(_config, await db.GetConfigAsync(_config.Key), strict: true);
        Assert.Equal(_config.Value.GetRawText(), (await db.GetConfigAsync(_config.Key))!.Value.GetRawText());
        Assert.Equivalent(_server, await db.GetMcpServerAsync(_server.Id), strict: true);
        Assert.Equivalent(_credential, await db.GetCredentialAsync(_credential.Id), strict: true);
        Assert.Equal(_tag.Id, (await db.ListCredentialTagsAsync()).Single().Id);
        Assert.Equal(_apiKey.Key.Id, (await db.VerifyApiKeyAsync(_apiKey.Secret))?.Id);
        Assert.Equal(_session.Session.Id, (await db.GetSessionAsync(_session.Token))?.Id);
        var audit = (await db.QueryAuditAsync(new AuditQuery(), new PageRequest())).Items;
        Assert.Equivalent(new[] { _audit, _plainAudit }.OrderBy(a => a.Id), audit.OrderBy(a => a.Id), strict: true);

        // Last: consuming changes the row.
        Assert.Equal(_singleUse.Token.Id, (await db.TryConsumeSingleUseTokenAsync("password-reset", _singleUse.Value))?.Id);
    }
}
