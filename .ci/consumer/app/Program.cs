// The consumer check: what a user writes first, against the packed packages on SQLite.
using GatewayStorage;
using Microsoft.Extensions.DependencyInjection;

var folder = Directory.CreateTempSubdirectory("gateway-storage-consumer-");
try
{
    var services = new ServiceCollection();
    services.AddGatewayStorage(options => options.Url = "sqlite:" + Path.Combine(folder.FullName, "gateway.db")).AddSqlite();
    await using var provider = services.BuildServiceProvider();
    var db = provider.GetRequiredService<IDatabaseProvider>();
    await db.InitializeAsync();

    var user = await db.CreateUserAsync(new NewUser("alice@example.org", "Alice"));
    var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "ci"));
    Check((await db.VerifyApiKeyAsync(key.Secret))?.Id == key.Key.Id, "a fresh key verifies");
    Check(await db.VerifyApiKeyAsync("not-a-key") is null, "a malformed key is refused");
    Check(await db.RevokeApiKeyAsync(key.Key.Id), "the key is revoked");
    Check(await db.VerifyApiKeyAsync(key.Secret) is null, "a revoked key is refused");
    Check((await db.GetUserByEmailAsync("ALICE@example.org"))?.Id == user.Id, "the user is found by e-mail, case-insensitively");
    Console.WriteLine($"consumer: GatewayStorage on {db.BackendName}: all checks passed");
}
finally
{
    folder.Delete(recursive: true);
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("consumer: failed: " + what);
    }
}
