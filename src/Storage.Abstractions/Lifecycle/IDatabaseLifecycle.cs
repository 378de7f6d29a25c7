namespace GatewayStorage;

/// <summary>Schema migrations, health and identity of a storage backend.</summary>
public interface IDatabaseLifecycle
{
    /// <summary>The backend's name: <c>sqlite</c> or <c>postgres</c>.</summary>
    string BackendName { get; }

    /// <summary>
    /// Makes the database ready for use: checks the schema (migrating first when
    /// <see cref="GatewayStorageOptions.AutoMigrate"/> is on) and checks the configured encryption keys against the
    /// secrets already stored. With <c>AddGatewayStorage</c> the host calls it at start-up; otherwise the first
    /// operation does it if it was never called. Idempotent: once it succeeded, later calls return at once.
    /// </summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the database is ready.</returns>
    /// <exception cref="SchemaVersionException">
    /// The schema is behind and auto-migrate is off, the database is newer than this library, or an applied script changed.
    /// </exception>
    /// <exception cref="StorageConfigurationException">
    /// The configured encryption keys cannot decrypt the secrets already stored, or the server refused the login, the TLS
    /// settings or the database name of the URL.
    /// </exception>
    /// <exception cref="StorageUnavailableException">The database could not be reached.</exception>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies every pending migration script, each in its own transaction under a lock, so that several
    /// processes may call it at once. Running it again is a no-op.
    /// </summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The migrations this call applied (empty when the schema was current).</returns>
    /// <exception cref="SchemaVersionException">The database is newer than this library, or an applied script changed.</exception>
    Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the schema version the database is at (0 when it was never migrated).</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The highest applied version.</returns>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the SQL that <see cref="MigrateAsync"/> would run, for a DBA to review and apply by hand
    /// (it records each script in <c>schema_migrations</c> as it goes).
    /// </summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The pending SQL, or an empty string when the schema is current.</returns>
    Task<string> GetPendingMigrationSqlAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks that the database answers, and how fast. Answers within <see cref="GatewayStorageOptions.HealthCheckTimeout"/>
    /// whatever the server does: an unreachable, refusing or silent database is reported unhealthy, never thrown.
    /// </summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The health report.</returns>
    /// <exception cref="OperationCanceledException">The caller's <paramref name="cancellationToken"/> was cancelled.</exception>
    Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts the rows of every table of the schema, in dependency order (the order a copy writes them), for an
    /// operator's overview. Each table is counted with one <c>COUNT(*)</c> in one read snapshot. Runs without the
    /// start-up checks, so it also answers for a database opened without its keys.
    /// </summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>Per table, its row count.</returns>
    /// <exception cref="SchemaVersionException">The schema is not at the version this library writes (migrate it first).</exception>
    /// <exception cref="StorageUnavailableException">The database could not be reached.</exception>
    Task<IReadOnlyList<TableRowCount>> CountRowsAsync(CancellationToken cancellationToken = default);
}
