using System.Diagnostics;

namespace GatewayStorage.Relational;

/// <summary>Migrations, schema version and health of one database.</summary>
internal sealed class DatabaseLifecycle(StoreContext context) : IDatabaseLifecycle
{
    /// <inheritdoc />
    public string BackendName => context.Dialect.BackendName;

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
        var started = Stopwatch.GetTimestamp();
        try
        {
            string version;
            var session = await context.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                version = (await session.Sql(context.Dialect.EngineVersionSql)
                    .ScalarAsync(static (in Row r) => r.Text(0), cancellationToken).ConfigureAwait(false))!;
            }

            var latency = Stopwatch.GetElapsedTime(started);
            var schemaVersion = await context.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return new StorageHealth(true, BackendName, latency, version, schemaVersion, null);
        }
        catch (StorageException ex)
        {
            return new StorageHealth(false, BackendName, Stopwatch.GetElapsedTime(started), null, null, ex.Message);
        }
    }
}
