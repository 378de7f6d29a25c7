using GatewayStorage;
using GatewayStorage.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.AspNetCore.Benchmarks;

/// <summary>
/// A gateway on Kestrel over loopback with the same endpoint three ways: <c>/floor</c> (no authentication: the floor),
/// <c>/auth</c> (the API-key scheme) and <c>/auth-limited</c> (the scheme and the per-key rate limit, as a gateway serves it).
/// </summary>
internal sealed class BenchmarkGateway : IAsyncDisposable
{
    public const string PerKey = "per-key";

    private readonly WebApplication _app;

    private BenchmarkGateway(WebApplication app, Uri address, string[] keys)
    {
        _app = app;
        Address = address;
        Keys = keys;
    }

    public Uri Address { get; }

    /// <summary>API keys of distinct users, one per client worker (round robin).</summary>
    public string[] Keys { get; }

    public IDatabaseProvider Database => _app.Services.GetRequiredService<IDatabaseProvider>();

    public static async Task<BenchmarkGateway> StartAsync(string url, string encryptionKey, int keyCount)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddGatewayStorage(options =>
        {
            options.Url = url;
            options.AutoMigrate = true;
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "bench", Key = encryptionKey });
        }).AddSqlite().AddPostgres();
        builder.Services.AddAuthentication(GatewayApiKeyDefaults.AuthenticationScheme).AddGatewayApiKey();
        builder.Services.AddAuthorization();

        // Never reached: the run measures the cost of counting, not of refusing.
        builder.Services.AddRateLimiter(o => o.AddGatewayApiKeyPolicy(PerKey, l =>
        {
            l.PermitLimit = int.MaxValue;
            l.Window = TimeSpan.FromDays(1);
        }));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGet("/floor", Ok);
        app.MapGet("/auth", Ok).RequireAuthorization();
        app.MapGet("/auth-limited", Ok).RequireAuthorization().RequireRateLimiting(PerKey);
        await app.StartAsync();

        var address = new Uri(app.Urls.First());
        var db = app.Services.GetRequiredService<IDatabaseProvider>();
        var role = await db.CreateRoleAsync(new NewRole($"bench-{Guid.NewGuid():N}", Permissions: ["tools:invoke", "audit:read"]));
        var keys = new string[keyCount];
        for (var i = 0; i < keyCount; i++)
        {
            var user = await db.CreateUserAsync(new NewUser($"bench{i}.{Guid.NewGuid():N}@example.org", $"Bench {i}"));
            await db.AssignRoleAsync(user.Id, role.Id);
            keys[i] = (await db.CreateApiKeyAsync(new NewApiKey(user.Id, "bench", Scopes: ["tools"]))).Secret;
        }

        return new BenchmarkGateway(app, address, keys);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static IResult Ok(HttpContext context) => Results.Text("ok");
}
