using GatewayStorage;
using GatewayStorage.AspNetCore;
using GatewayStorage.Gateway;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);

// The backend is picked by DATABASE_URL (sqlite:…, postgres://…); none means the embedded sqlite:./data/gateway.db.
builder.Services.AddGatewayStorage(builder.Configuration).AddSqlite().AddPostgres();

// Keys come as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.
builder.Services.AddAuthentication(GatewayApiKeyDefaults.AuthenticationScheme)
    .AddGatewayApiKey(options => options.HeaderName = "X-Api-Key");
builder.Services.AddAuthorization();

// Per key, counted in the database: every instance of the gateway shares the limit (Gateway:RateLimit:PermitLimit, :Window).
builder.Services.AddRateLimiter(options => options.AddGatewayApiKeyPolicy(
    GatewayEndpoints.PerKeyPolicy, limit => builder.Configuration.GetSection("Gateway:RateLimit").Bind(limit)));

builder.Services.AddHealthChecks().AddGatewayStorage(tags: ["ready"]);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StorageExceptionHandler>();
builder.Services.AddHostedService<AdminBootstrap>();

if (builder.Configuration.GetValue("Gateway:ConsoleTelemetry", defaultValue: true))
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("gateway-sample"))
        .WithTracing(tracing => tracing.AddSource("GatewayStorage").AddAspNetCoreInstrumentation().AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter("GatewayStorage").AddAspNetCoreInstrumentation().AddConsoleExporter());
}

var app = builder.Build();

app.UseExceptionHandler();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
app.MapGatewayEndpoints();
app.MapAdminEndpoints();

app.Run();

/// <summary>The gateway's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
