namespace GatewayStorage;

/// <summary>
/// Options of GatewayStorage, bound from the <c>GatewayStorage</c> configuration section. The database URL falls
/// back to the <c>DATABASE_URL</c> setting or environment variable, then to the embedded default
/// <c>sqlite:./data/gateway.db</c>. Options are validated at start-up.
/// </summary>
public sealed class GatewayStorageOptions
{
    /// <summary>The configuration section the options bind from: <c>GatewayStorage</c>.</summary>
    public const string SectionName = "GatewayStorage";

    /// <summary>The configuration key and environment variable the URL falls back to: <c>DATABASE_URL</c>.</summary>
    public const string DatabaseUrlVariable = "DATABASE_URL";

    /// <summary>The configuration key and environment variable an encryption key falls back to: <c>ENCRYPTION_KEY</c>.</summary>
    public const string EncryptionKeyVariable = "ENCRYPTION_KEY";

    /// <summary>The URL used when none is configured: <c>sqlite:./data/gateway.db</c>.</summary>
    public const string DefaultUrl = "sqlite:./data/gateway.db";

    /// <summary>
    /// The database URL: <c>sqlite:./data/gateway.db</c>, <c>sqlite:///var/lib/app/gateway.db</c>, <c>sqlite::memory:</c>,
    /// or a libpq URL <c>postgresql://user:password@host:5432/db?sslmode=require</c> (<c>postgres://</c> also works).
    /// Defaults to <c>DATABASE_URL</c>, then to <see cref="DefaultUrl"/>.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Whether the provider applies pending migrations at start-up (with <c>AddGatewayStorage</c>, when the host
    /// starts; otherwise before its first operation, or in <see cref="IDatabaseLifecycle.InitializeAsync"/>). Defaults to
    /// <see langword="null"/>: on for SQLite, off for PostgreSQL (where a DBA may prefer to review
    /// <see cref="IDatabaseLifecycle.GetPendingMigrationSqlAsync"/> and apply it).
    /// </summary>
    public bool? AutoMigrate { get; set; }

    /// <summary>How long one command may run before it fails with <see cref="StorageUnavailableException"/>. Defaults to 30 seconds.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SQLite: how long a writer waits for another writer's lock before it fails. Defaults to 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest number of open connections. Defaults to 0: the backend's own default
    /// (SQLite: 16 connections held open with their prepared statements; PostgreSQL: Npgsql's 100).
    /// </summary>
    public int MaxPoolSize { get; set; }

    /// <summary>
    /// PostgreSQL: the connection pooler in front of the server. <see cref="ConnectionPooler.Transaction"/> (PgBouncer in
    /// transaction mode) turns off automatic statement preparation and anything that assumes one server session across
    /// transactions. The URL parameter <c>pooler=none|transaction</c>, when given, takes precedence. Defaults to
    /// <see cref="ConnectionPooler.None"/>. SQLite ignores it.
    /// </summary>
    public ConnectionPooler Pooler { get; set; }

    /// <summary>
    /// PostgreSQL: where operations that tolerate replica lag read. <see cref="GatewayStorage.ReadFrom.Standby"/> sends them to a
    /// standby among the URL's hosts (falling back to the primary); writes and read-your-writes operations stay on the
    /// primary. The URL parameter <c>read_from=primary|standby</c>, when given, takes precedence. Defaults to
    /// <see cref="GatewayStorage.ReadFrom.Primary"/>. SQLite ignores it.
    /// </summary>
    public ReadFrom ReadFrom { get; set; }

    /// <summary>
    /// PostgreSQL: how long the first connection is retried, with backoff, while the server is not reachable yet
    /// (a database container that starts after the application). Defaults to 30 seconds; zero disables retrying.
    /// </summary>
    public TimeSpan StartupRetryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="IDatabaseLifecycle.CheckHealthAsync"/> waits for the database before it reports it
    /// unhealthy; it never waits out <see cref="StartupRetryTimeout"/>. Keep it below your probe's own timeout.
    /// Defaults to 2 seconds.
    /// </summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The keys that encrypt secrets at rest (AES-256-GCM). The last key encrypts new values; every key decrypts.
    /// When empty, <c>ENCRYPTION_KEY</c> (base64 of 32 bytes) is used; when that is missing too, SQLite creates
    /// a key file beside the database and PostgreSQL refuses to start.
    /// </summary>
    public IList<EncryptionKeyOptions> EncryptionKeys { get; } = [];

    /// <summary>
    /// The server-side key (base64, at least 32 bytes) under which API key secrets are hashed with HMAC-SHA-256.
    /// Defaults to <see langword="null"/>: a key derived (HKDF-SHA256) from the FIRST configured encryption key, so that
    /// rotating encryption keys keeps API keys valid. Set it explicitly before you ever retire that first key.
    /// </summary>
    public string? ApiKeyHashKey { get; set; }

    /// <summary>
    /// The prefix of generated API keys, 1 to 16 lower-case letters or digits. Defaults to <c>gsk</c>. Keys carry it
    /// (<c>gsk_&lt;public id&gt;_&lt;secret&gt;</c>) and verification requires it, so changing it retires every key issued before.
    /// </summary>
    public string ApiKeyPrefix { get; set; } = "gsk";

    /// <summary>How often, at most, verifying an API key writes its last-used time. Defaults to one minute.</summary>
    public TimeSpan ApiKeyLastUsedInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many rows one prune or purge batch deletes. Defaults to 1,000.</summary>
    public int PruneBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many rows one batch of a streaming read (<see cref="IDataStreams"/>) fetches, 1 to 100,000. Defaults to 1,000.
    /// Each batch is one bounded query on its own short read session, so a stream holds at most this many rows in
    /// memory and no connection or transaction between batches.
    /// </summary>
    public int StreamBatchSize { get; set; } = 1000;
}
