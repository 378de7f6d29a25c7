using System.Diagnostics;
using System.Globalization;

namespace GatewayStorage.Relational;

/// <summary>Migrations, schema version, start-up check and health of one database.</summary>
internal sealed class DatabaseLifecycle(StoreContext context) : IDatabaseLifecycle
{
    /// <inheritdoc />
    public string BackendName => context.Dialect.BackendName;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => context.EnsureReadyAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = await context.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await context.VerifyKeysAsync(cancellationToken).ConfigureAwait(false);
        context.MarkReady();
        return applied;
    }

    /// <inheritdoc />
    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default) =>
        context.Migrations.GetVersionAsync(cancellationToken);

    /// <inheritdoc />
    public Task<string> GetPendingMigrationSqlAsync(CancellationToken cancellationToken = default) =>
        context.Migrations.GetPendingSqlAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var timeoutLength = context.Options.HealthCheckTimeout;
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutLength);

        // On the thread pool: Microsoft.Data.Sqlite opens and waits for a lock synchronously, which would hold the caller.
        var probe = Task.Run(() => ProbeAsync(timeout.Token), CancellationToken.None);
        try
        {
            // WaitAsync bounds the answer even where an engine call ignores its token (a lock wait, a silent server).
            var (version, schemaVersion) = await probe.WaitAsync(timeoutLength, context.Time, cancellationToken).ConfigureAwait(false);
            return new StorageHealth(true, BackendName, Stopwatch.GetElapsedTime(started), version, schemaVersion, null,
                context.Migrations.CountPendingAfter(schemaVersion));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or TimeoutException)
        {
            // The probe may still be running: cancel it and observe its end, so its failure is not left unobserved.
            await timeout.CancelAsync().ConfigureAwait(false);
            _ = probe.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var seconds = timeoutLength.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null,
                $"The {BackendName} database did not answer within {seconds} s.");
        }
        catch (StorageException ex)
        {
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null, ex.Message);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TableRowCount>> CountRowsAsync(CancellationToken cancellationToken = default)
    {
        var version = await context.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version != context.Migrations.LatestVersion)
        {
            throw new SchemaVersionException(
                $"The {BackendName} database schema is at version {version}, but this library counts the tables of version {context.Migrations.LatestVersion}: migrate it first.");
        }

        var session = await context.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var counts = new List<TableRowCount>(PortableTables.All.Count);
            foreach (var table in PortableTables.All)
            {
                var rows = await session.Sql(table.CountSql).ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false);
                counts.Add(new TableRowCount(table.Name, rows));
            }

            return counts;
        }
    }

    /// <summary>One round trip for the engine version, then the schema version; never through the start-up retry.</summary>
    private async Task<(string Version, int SchemaVersion)> ProbeAsync(CancellationToken cancellationToken)
    {
        string version;
        var session = await context.OpenRawAsync(SessionKind.Read, cancellationToken, waitForStartup: false).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            version = (await session.Sql(context.Dialect.EngineVersionSql)
                .ScalarAsync(static (in Row r) => r.Text(0), cancellationToken).ConfigureAwait(false))!;
        }

        // The connection just used is idle again, so this does not wait out the start-up retry either.
        var schemaVersion = await context.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        return (version, schemaVersion);
    }
}
