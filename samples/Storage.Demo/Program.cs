// GatewayStorage demo: runs on the embedded default (sqlite:./data/gateway.db) with no configuration,
// or on PostgreSQL with DATABASE_URL=postgresql://user:password@host:5432/database. Safe to run again:
// every write is an upsert or checks first, so a second run finds the first run's data.
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
var db = serviceProvider.GetRequiredService<IDatabaseProvider>();

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
      health    {(health.IsHealthy ? "healthy" : "unhealthy")}, {health.Latency.TotalMilliseconds:F2} ms
    """);
