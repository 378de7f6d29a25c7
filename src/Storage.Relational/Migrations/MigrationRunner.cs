using System.Text;

namespace GatewayStorage.Relational;

/// <summary>
/// Applies numbered migration scripts: each in its own transaction under the engine's migration lock, so that
/// several processes may migrate at once; refuses a database newer than the library and an applied script
/// whose checksum changed.
/// </summary>
internal sealed class MigrationRunner
{
    private const string SelectApplied = "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version";
    private const string InsertApplied = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @applied_at)";
    private const string SelectVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

    private readonly SqlDialect _dialect;
    private readonly IReadOnlyList<MigrationScript> _scripts;
    private readonly Func<CancellationToken, ValueTask<DbSession>> _open;
    private readonly TimeProvider _time;

    public MigrationRunner(SqlDialect dialect, IReadOnlyList<MigrationScript> scripts, Func<CancellationToken, ValueTask<DbSession>> open, TimeProvider time)
    {
        _dialect = dialect;
        _scripts = scripts;
        _open = open;
        _time = time;
    }

    public int LatestVersion => _scripts.Count == 0 ? 0 : _scripts[^1].Version;

    /// <summary>How many of this library's scripts a database at <paramref name="schemaVersion"/> has yet to apply.</summary>
    public int CountPendingAfter(int schemaVersion) => _scripts.Count(s => s.Version > schemaVersion);

    public async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var appliedNow = new List<AppliedMigration>();
        while (true)
        {
            var session = await _open(cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                await session.BeginAsync(cancellationToken).ConfigureAwait(false);

                // The lock makes concurrent migrators (several processes starting together) take turns.
                await _dialect.LockForMigrationAsync(session, cancellationToken).ConfigureAwait(false);
                await session.Sql(_dialect.CreateMigrationsTableSql).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                var applied = await session.Sql(SelectApplied).QueryAsync(ReadApplied, cancellationToken).ConfigureAwait(false);
                Verify(applied);

                var next = _scripts.FirstOrDefault(s => applied.TrueForAll(a => a.Version != s.Version));
                if (next is null)
                {
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return appliedNow;
                }

                var appliedAt = StorageTime.Now(_time);
                await session.Sql(next.Sql).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                await session.Sql(InsertApplied)
                    .Int32("version", next.Version)
                    .Text("name", next.Name)
                    .Text("checksum", next.Checksum)
                    .Time("applied_at", appliedAt)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                appliedNow.Add(new AppliedMigration(next.Version, next.Name, next.Checksum, appliedAt));
            }
        }
    }

    public async Task<int> GetVersionAsync(CancellationToken cancellationToken)
    {
        var session = await _open(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            if (!await TableExistsAsync(session, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            return (int)await session.Sql(SelectVersion).ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks that the database can be used without migrating: not newer, not behind, no changed script.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        var session = await _open(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var applied = await TableExistsAsync(session, cancellationToken).ConfigureAwait(false)
                ? await session.Sql(SelectApplied).QueryAsync(ReadApplied, cancellationToken).ConfigureAwait(false)
                : [];
            Verify(applied);
            var version = applied.Count == 0 ? 0 : applied.Max(a => a.Version);
            if (applied.Count < _scripts.Count)
            {
                throw new SchemaVersionException(
                    $"The {_dialect.BackendName} database schema is at version {version}, but this library needs version {LatestVersion}. " +
                    "Call MigrateAsync(), enable GatewayStorage:AutoMigrate, or apply the SQL from GetPendingMigrationSqlAsync().");
            }
        }
    }

    public async Task<string> GetPendingSqlAsync(CancellationToken cancellationToken)
    {
        List<AppliedMigration> applied;
        var session = await _open(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            applied = await TableExistsAsync(session, cancellationToken).ConfigureAwait(false)
                ? await session.Sql(SelectApplied).QueryAsync(ReadApplied, cancellationToken).ConfigureAwait(false)
                : [];
        }

        Verify(applied);
        var pending = _scripts.Where(s => applied.TrueForAll(a => a.Version != s.Version)).ToList();
        if (pending.Count == 0)
        {
            return "";
        }

        var sql = new StringBuilder();
        sql.Append("-- GatewayStorage pending migrations for ").Append(_dialect.BackendName).Append('\n');
        sql.Append(_dialect.CreateMigrationsTableSql).Append(";\n");
        foreach (var script in pending)
        {
            sql.Append("\n-- ").Append(script.Version.ToString("0000", System.Globalization.CultureInfo.InvariantCulture))
                .Append('_').Append(script.Name).Append(" (sha256 ").Append(script.Checksum).Append(")\n");
            sql.Append("BEGIN;\n").Append(script.Sql.TrimEnd()).Append('\n');
            sql.Append("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (")
                .Append(script.Version).Append(", '").Append(script.Name).Append("', '").Append(script.Checksum).Append("', ")
                .Append(_dialect.CurrentTimestampSql).Append(");\nCOMMIT;\n");
        }

        return sql.ToString();
    }

    private async Task<bool> TableExistsAsync(DbSession session, CancellationToken cancellationToken) =>
        await session.Sql(_dialect.MigrationsTableExistsSql).ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false) > 0;

    private void Verify(List<AppliedMigration> applied)
    {
        foreach (var migration in applied)
        {
            if (migration.Version > LatestVersion)
            {
                throw new SchemaVersionException(
                    $"The {_dialect.BackendName} database schema is at version {applied.Max(a => a.Version)}, newer than the latest this library knows ({LatestVersion}). " +
                    "It was migrated by a newer version of GatewayStorage: upgrade the library instead of using this database with an older one.");
            }

            if (migration.Version < 1)
            {
                throw new SchemaVersionException(
                    $"The {_dialect.BackendName} schema_migrations table holds version {migration.Version}; versions start at 1. It was not written by GatewayStorage.");
            }

            var script = _scripts.FirstOrDefault(s => s.Version == migration.Version)
                ?? throw new SchemaVersionException(
                    $"The {_dialect.BackendName} schema_migrations table holds version {migration.Version} ('{migration.Name}'), which this library does not have. " +
                    "It was migrated by another build of GatewayStorage.");
            if (script.Checksum != migration.Checksum)
            {
                throw new SchemaVersionException(
                    $"Migration {migration.Version} ('{migration.Name}') was applied with checksum {migration.Checksum}, but the library's script now has checksum {script.Checksum}. " +
                    "An applied migration must never change; restore the original script and add a new migration instead.");
            }
        }
    }

    private static AppliedMigration ReadApplied(in Row r) => new(r.Int32(0), r.Text(1), r.Text(2), r.Time(3));
}
