namespace GatewayStorage.Gateway;

/// <summary>
/// The first admin: when <c>GATEWAY_ADMIN_EMAIL</c> is set and no user has that email yet, creates the
/// <c>gateway-admin</c> role (every permission), the user and one API key, and prints the key once to the console —
/// the only place a key is ever written out, never to a log. Later starts find the user and do nothing.
/// </summary>
public sealed class AdminBootstrap(IConfiguration configuration, IUserStore users, IRoleStore roles, IApiKeyStore keys) : IHostedService
{
    public const string EmailSetting = "GATEWAY_ADMIN_EMAIL";
    public const string RoleName = "gateway-admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration[EmailSetting];
        if (string.IsNullOrWhiteSpace(email) || await users.GetUserByEmailAsync(email, cancellationToken) is not null)
        {
            return;
        }

        User user;
        try
        {
            user = await users.CreateUserAsync(new NewUser(email, "Gateway admin"), cancellationToken);
        }
        catch (DuplicateKeyException)
        {
            return; // Another instance, starting at the same time, bootstrapped.
        }

        var role = await roles.GetRoleByNameAsync(RoleName, cancellationToken)
            ?? await roles.CreateRoleAsync(new NewRole(RoleName, "Everything the sample gateway guards", GatewayPermissions.All), cancellationToken);
        await roles.AssignRoleAsync(user.Id, role.Id, cancellationToken);
        var created = await keys.CreateApiKeyAsync(new NewApiKey(user.Id, "bootstrap"), cancellationToken);
        Console.WriteLine($"Bootstrap admin API key for {email} (shown once, store it now): {created.Secret}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
