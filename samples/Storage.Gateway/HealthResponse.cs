using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GatewayStorage.Gateway;

/// <summary>Writes <c>/healthz</c> as JSON: the overall status and each check's status, description and data.</summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description, data = entry.Value.Data }),
        }, cancellationToken: context.RequestAborted);
    }
}
