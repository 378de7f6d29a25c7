using System.Diagnostics;
using System.Globalization;

namespace GatewayStorage.Relational;

internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _ready ? Task.CompletedTask : EnsureReadyAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = await _migrations.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            LogMigrated(_logger, Dialect.BackendName, applied.Count, applied[^1].Version, null);
        }

        _ready = true;
        return applied;
    }

    /// <inheritdoc />
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        _migrations.GetVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<string> GetPendingMigrationSqlAsync(CancellationToken cancellationToken = default) =>
        _migrations.GetPendingSqlAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HealthCheckTimeout);
        // On the thread pool: Microsoft.Data.Sqlite opens and waits for a lock synchronously, which would hold the caller.
        var probe = Task.Run(() => ProbeAsync(timeout.Token), CancellationToken.None);
        try
        {
            // WaitAsync bounds the answer even where an engine call ignores its token (a lock wait, a silent server).
            var (version, schemaVersion) = await probe.WaitAsync(_options.HealthCheckTimeout, _time, cancellationToken).ConfigureAwait(false);
            return new StorageHealth(true, BackendName, Stopwatch.GetElapsedTime(started), version, schemaVersion, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or TimeoutException)
        {
            // The probe may still be running: cancel it and observe its end, so its failure is not left unobserved.
            await timeout.CancelAsync().ConfigureAwait(false);
            _ = probe.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var seconds = _options.HealthCheckTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null,
                $"The {BackendName} database did not answer within {seconds} s.");
        }
        catch (StorageException ex)
        {
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null, ex.Message);
        }
    }

    /// <summary>One round trip for the engine version, then the schema version; never through the start-up retry.</summary>
    private async Task<(string Version, int SchemaVersion)> ProbeAsync(CancellationToken cancellationToken)
    {
        string version;
        var session = await OpenOnceAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            version = (await session.Sql(Dialect.EngineVersionSql)
                .ScalarAsync(static (in Row r) => r.Text(0), cancellationToken).ConfigureAwait(false))!;
        }

        // The connection just used is idle again, so this does not wait out the start-up retry either.
        var schemaVersion = await _migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        return (version, schemaVersion);
    }

    private async ValueTask<DbSession> OpenOnceAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        System.Data.Common.DbConnection connection;
        try
        {
            connection = await _connections.RentOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageException && Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(Dialect, error, ex);
        }

        return new DbSession(_connections, connection, Dialect, _commandTimeoutSeconds);
    }
}
