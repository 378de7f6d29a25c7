using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Conformance.Users;

/// <summary>Deleting a user takes everything that hangs on it, in one statement; the audit log keeps its entries.</summary>
public abstract class UserDeletionConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : class, IStorageFixture
{
    private IDatabaseProvider Db => fixture.Provider;

    [Fact]
    public async Task DeleteUserAsync_removes_roles_tokens_keys_sessions_and_single_use_tokens_but_keeps_the_audit_log()
    {
        var user = await Db.CreateUserAsync(new NewUser(Unique.Email("leaver")));
        var bystander = await Db.CreateUserAsync(new NewUser(Unique.Email("stayer")));
        var role = await Db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: ["read"]));
        var provider = await Db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            Unique.Name("idp"), "client", "client-secret-" + Unique.Suffix(), new Uri("https://idp.example.org/authorize"), new Uri("https://idp.example.org/token")));
        fixture.RegisterSecret(provider.ClientSecret);

        foreach (var who in new[] { user, bystander })
        {
            await Db.AssignRoleAsync(who.Id, role.Id);
            var token = await Db.UpsertOAuthTokenAsync(new OAuthTokenGrant(who.Id, provider.Name, "access-" + Unique.Suffix(), "refresh-" + Unique.Suffix()));
            fixture.RegisterSecret(token.AccessToken);
            fixture.RegisterSecret(token.RefreshToken!);
            fixture.RegisterSecret((await Db.CreateApiKeyAsync(new NewApiKey(who.Id, "cli"))).Secret);
            fixture.RegisterSecret((await Db.CreateSessionAsync(new NewLoginSession(who.Id, TimeSpan.FromHours(1)))).Token);
            fixture.RegisterSecret((await Db.IssueSingleUseTokenAsync("password-reset", who.Id, TimeSpan.FromHours(1))).Value);
        }

        var key = (await Db.ListApiKeysAsync(user.Id)).Single();
        await Db.IncrementApiKeyUsageAsync(key.Id, TimeSpan.FromMinutes(1));
        await Db.AppendAuditAsync(new NewAuditEntry("user.delete", Actor: "admin", TargetType: "user", TargetId: user.Id.ToString()));

        Assert.True(await Db.DeleteUserAsync(user.Id));

        Assert.Empty(await Db.GetUserRolesAsync(user.Id));
        Assert.Empty(await Db.ListOAuthTokensAsync(user.Id));
        Assert.Empty(await Db.ListApiKeysAsync(user.Id));
        Assert.Null(await Db.GetApiKeyAsync(key.Id));
        Assert.Empty(await Db.GetApiKeyUsageAsync(key.Id, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));
        Assert.Equal(0, await Db.RevokeUserSessionsAsync(user.Id));

        // Everything of the other user is untouched.
        Assert.Single(await Db.GetUserRolesAsync(bystander.Id));
        Assert.Single(await Db.ListOAuthTokensAsync(bystander.Id));
        Assert.Single(await Db.ListApiKeysAsync(bystander.Id));
        Assert.Equal(1, await Db.RevokeUserSessionsAsync(bystander.Id));

        var audit = await Db.QueryAuditAsync(new AuditQuery(TargetType: "user", TargetId: user.Id.ToString()), PageRequest.First);
        Assert.Equal("user.delete", Assert.Single(audit.Items).Action);
    }

    [Fact]
    public async Task DeleteUserAsync_leaves_no_row_that_names_the_user_in_any_table_but_the_audit_log()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var db = fixture.CreateProvider(url);
        await db.MigrateAsync();
        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var role = await db.CreateRoleAsync(new NewRole("r"));
        await db.AssignRoleAsync(user.Id, role.Id);
        var provider = await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
            "idp", "client", "client-secret", new Uri("https://idp.example.org/a"), new Uri("https://idp.example.org/t")));
        fixture.RegisterSecret("client-secret");
        await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, provider.Name, "access-token-value"));
        fixture.RegisterSecret("access-token-value");
        fixture.RegisterSecret((await db.CreateApiKeyAsync(new NewApiKey(user.Id, "k"))).Secret);
        fixture.RegisterSecret((await db.CreateSessionAsync(new NewLoginSession(user.Id, TimeSpan.FromHours(1)))).Token);
        fixture.RegisterSecret((await db.IssueSingleUseTokenAsync("reset", user.Id, TimeSpan.FromHours(1))).Value);

        await db.DeleteUserAsync(user.Id);

        await using var raw = await fixture.OpenRawConnectionAsync(url);
        foreach (var table in new[] { "user_roles", "oauth_tokens", "api_keys", "sessions", "single_use_tokens" })
        {
            await using var command = raw.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
