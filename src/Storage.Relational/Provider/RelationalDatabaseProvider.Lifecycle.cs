using System.Diagnostics;

namespace GatewayStorage.Relational;

internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var applied = await _migrations.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            LogMigrated(_logger, Dialect.BackendName, applied.Count, applied[^1].Version, null);
        }

        await KeyCheck.VerifyAsync(OpenRawAsync, _secrets, _time, cancellationToken).ConfigureAwait(false);
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
        try
        {
            string version;
            var session = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                version = (await session.Sql(Dialect.EngineVersionSql)
                    .ScalarAsync(static (in Row r) => r.Text(0), cancellationToken).ConfigureAwait(false))!;
            }

            var latency = Stopwatch.GetElapsedTime(started);
            var schemaVersion = await _migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return new StorageHealth(true, BackendName, latency, version, schemaVersion, null);
        }
        catch (StorageException ex)
        {
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null, ex.Message);
        }
    }
}
