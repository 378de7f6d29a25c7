using System.Globalization;
using System.Net.Http.Headers;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Tests.AspNetCore;

/// <summary>
/// The sample gateway (samples/Storage.Gateway) over one test database, on a clock the test sets, with every log line
/// captured. Requests go through the whole ASP.NET Core pipeline: authentication, authorization, rate limiting, endpoint.
/// </summary>
public sealed class GatewayApp(
    string url, TimeProvider time, int permitLimit = 1000, TimeSpan? window = null, Action<IServiceCollection>? services = null, string? bootstrapEmail = null)
    : WebApplicationFactory<Program>
{
    public LogCapture Logs { get; } = new();

    /// <summary>The app's own provider, to arrange data through the public API.</summary>
    public IDatabaseProvider Database => Services.GetRequiredService<IDatabaseProvider>();

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A user holding one role with <paramref name="permissions"/>, and an API key of theirs.</summary>
    public async Task<(User User, Role Role, CreatedApiKey Key)> NewUserWithKeyAsync(
        string[] permissions, string[]? scopes = null, DateTimeOffset? expiresAt = null, bool active = true)
    {
        var db = Database;
        var user = await db.CreateUserAsync(new NewUser(Unique.Email(), "Test User", active));
        var role = await db.CreateRoleAsync(new NewRole(Unique.Name("role"), Permissions: permissions));
        await db.AssignRoleAsync(user.Id, role.Id);
        var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, Unique.Name("key"), expiresAt, scopes));
        return (user, role, key);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("GatewayStorage:Url", url);
        builder.UseSetting("GatewayStorage:AutoMigrate", "true");
        builder.UseSetting("GatewayStorage:EncryptionKeys:0:Id", "test");
        builder.UseSetting("GatewayStorage:EncryptionKeys:0:Key", StorageFixture.TestEncryptionKey);
        builder.UseSetting("Gateway:RateLimit:PermitLimit", permitLimit.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Gateway:RateLimit:Window", (window ?? TimeSpan.FromMinutes(1)).ToString("c", CultureInfo.InvariantCulture));
        builder.UseSetting("Gateway:ConsoleTelemetry", "false");
        builder.UseSetting(Gateway.AdminBootstrap.EmailSetting, bootstrapEmail ?? "");
        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton(time);
            services?.Invoke(collection);
        });
    }
}
