// GatewayStorage demo: runs on the embedded default (sqlite:./data/gateway.db) with no configuration, or on
// PostgreSQL with DATABASE_URL=postgresql://user:password@host:5432/database and ENCRYPTION_KEY=<base64 of 32 bytes>.
// Safe to run again: every write is an upsert or checks first, so a second run finds the first run's data.
using System.Text.Json;
using GatewayStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
services.AddGatewayStorage(configuration).AddSqlite().AddPostgres();

await using var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
IDatabaseProvider db;
try
{
    db = serviceProvider.GetRequiredService<IDatabaseProvider>();
}
catch (Exception ex) when (ex is StorageConfigurationException or Microsoft.Extensions.Options.OptionsValidationException)
{
    Console.Error.WriteLine($"GatewayStorage is not configured correctly: {ex.Message}");
    return 1;
}

var applied = await db.MigrateAsync();
var admin = await db.GetRoleByNameAsync("admin")
    ?? await db.CreateRoleAsync(new NewRole("admin", "Full access to the gateway", ["users:*", "tools:*", "config:*"], IsSystem: true));
var user = await db.UpsertUserAsync(new NewUser("admin@example.org", "Gateway Admin"));
var newlyAssigned = await db.AssignRoleAsync(user.Id, admin.Id);
await db.RecordLoginAsync(user.Id);
await db.UpsertDirectoryMappingAsync("CN=Gateway Admins,OU=Groups,DC=example,DC=org", admin.Id, "AD admins are gateway admins");

var rateLimit = JsonSerializer.SerializeToElement(new { requestsPerMinute = 600, burst = 50 });
var config = await db.SetConfigAsync("gateway.rate-limit", rateLimit);
var server = await db.UpsertMcpServerAsync(new McpServerRegistration(
    "filesystem", new Uri("http://localhost:8931/mcp"), "Files on the gateway host", Tags: ["files", "local"]));

// Secrets: an API key (only its HMAC is stored), an OAuth provider and token (encrypted at rest).
var runStarted = DateTimeOffset.UtcNow;
var created = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "demo-cli", Scopes: ["tools:call"]));
var verified = await db.VerifyApiKeyAsync(created.Secret);
var used = await db.IncrementApiKeyUsageAsync(created.Key.Id, TimeSpan.FromMinutes(1));
await db.RevokeApiKeyAsync(created.Key.Id);
var afterRevoke = await db.VerifyApiKeyAsync(created.Secret);
await db.AppendAuditAsync(new NewAuditEntry("apikey.create", "demo", "apikey", created.Key.PublicId));
await db.AppendAuditAsync(new NewAuditEntry("apikey.revoke", "demo", "apikey", created.Key.PublicId));

var github = await db.UpsertOAuthProviderAsync(new OAuthProviderRegistration(
    "github", "demo-client-id", "demo-client-secret",
    new Uri("https://github.com/login/oauth/authorize"), new Uri("https://github.com/login/oauth/access_token"),
    Scopes: ["read:user", "user:email"]));
await db.UpsertOAuthTokenAsync(new OAuthTokenGrant(user.Id, github.Name, "gho_demo_access_token", "ghr_demo_refresh_token",
    DateTimeOffset.UtcNow.AddHours(8), ["read:user"]));
var token = await db.GetOAuthTokenAsync(user.Id, "GitHub");
await db.AppendAuditAsync(new NewAuditEntry("oauth.token.store", "demo", "user", user.Id.ToString(),
    Details: JsonSerializer.SerializeToElement(new { provider = github.Name })));
var trail = await db.QueryAuditAsync(new AuditQuery(Actor: "demo", From: runStarted), PageRequest.First);

var permissions = await db.GetEffectivePermissionsAsync(user.Id);
var servers = await db.ListMcpServersAsync(new McpServerQuery(Tag: "files"), PageRequest.First);
var health = await db.CheckHealthAsync();

Console.WriteLine($"""
    GatewayStorage demo — {db.BackendName} {health.EngineVersion}, schema version {health.SchemaVersion} ({applied.Count} migration(s) applied this run)
      user      {user.Email} ({user.DisplayName}), id {user.Id}, version {user.Version}
      role      {admin.Name}{(admin.IsSystem ? " (system)" : "")}: {(newlyAssigned ? "assigned now" : "already assigned")}
      can do    {string.Join(", ", permissions.Order(StringComparer.Ordinal))}
      config    {config.Key} = {config.Value.GetRawText()} (version {config.Version})
      mcp       {server.Name} at {server.Url} [{string.Join(", ", server.Tags)}], version {server.Version}; {servers.Items.Count} server(s) tagged 'files'
      api key   {created.Key.PublicId} (shown once, stored as an HMAC): verified {(verified is not null ? "yes" : "no")}, used {used} time(s) this minute, after revoke {(afterRevoke is null ? "rejected" : "STILL ACCEPTED")}
      oauth     {github}
                token read back: {(token?.AccessToken == "gho_demo_access_token" ? "matches" : "MISMATCH")}, expires {token?.ExpiresAt:u}
      health    {(health.IsHealthy ? "healthy" : "unhealthy")}, {health.Latency.TotalMilliseconds:F2} ms
      audit     (this run, newest first)
    """);
foreach (var entry in trail.Items)
{
    Console.WriteLine($"              {entry.OccurredAt:HH:mm:ss.ffffff}  {entry.Action,-18} {entry.TargetType}/{entry.TargetId}");
}

return 0;
