using Microsoft.Extensions.Hosting;

namespace GatewayStorage;

/// <summary>
/// Makes everything that can be checked without a request fail host start-up rather than a user's first request:
/// resolving the provider checks the URL, its scheme, the backend package and the encryption keys; then
/// <see cref="IDatabaseLifecycle.InitializeAsync"/> migrates (auto-migrate on) or checks the schema version (off)
/// and checks the keys against the database. Runs in <see cref="StartingAsync"/>, before any hosted service starts.
/// </summary>
internal sealed class GatewayStorageStartup : IHostedLifecycleService
{
    private readonly IServiceProvider _services;

    public GatewayStorageStartup(IServiceProvider services) => _services = services;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Resolved here, not injected: a bad URL or a missing key must surface as the StorageConfigurationException the
        // factory throws, not as a failure to construct this service.
        var lifecycle = (IDatabaseLifecycle?)_services.GetService(typeof(IDatabaseLifecycle))
            ?? throw new InvalidOperationException("GatewayStorage is not registered: call services.AddGatewayStorage(...).");
        await lifecycle.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
