using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;
using GatewayStorage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Postgres;

/// <summary>
/// PostgreSQL's type mapping: native uuid, timestamptz, boolean, json and text[]; typed parameters (no boxing).
/// Connections come from Npgsql's <see cref="NpgsqlDataSource"/> as it is. Until the first connection succeeds,
/// transient failures are retried with backoff for <see cref="GatewayStorageOptions.StartupRetryTimeout"/>: a database
/// container that starts after the application is normal.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    // Any fixed number: every GatewayStorage migrator of a database takes the same advisory lock.
    private const long MigrationLockKey = 0x47617465_53746f72;

    /// <summary>How long a connection may sit unused before a write checks that it is still alive.</summary>
    internal static readonly TimeSpan IdleBeforePing = TimeSpan.FromSeconds(1);

    private const int MaxTrackedConnections = 4096;

    private readonly ConcurrentDictionary<int, long> _lastUsed = new();
    private readonly TimeSpan _startupRetryTimeout;
    private readonly TimeProvider _time;
    private volatile bool _connectedOnce;

    /// <param name="startupRetryTimeout">How long opening a connection retries while the server starts.</param>
    /// <param name="time">The clock that says how long a pooled connection sat idle (see <see cref="MayHaveDiedIdle"/>).</param>
    public PostgresDialect(TimeSpan startupRetryTimeout, TimeProvider time)
    {
        _startupRetryTimeout = startupRetryTimeout;
        _time = time;
    }

    public override string BackendName => "postgres";

    /// <inheritdoc />
    public override string TelemetrySystemName => "postgresql";

    /// <inheritdoc />
    public override TelemetryTarget DescribeForTelemetry(DbDataSource dataSource)
    {
        // Host and port only, parsed from the data source's connection string (which Npgsql gives without the password).
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var host = builder.Host?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(host))
        {
            return new TelemetryTarget(TelemetrySystemName);
        }

        // A host may carry its own port ("db:5433"); a Unix socket directory has none.
        var port = builder.Port;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && host[0] != '[' && int.TryParse(host.AsSpan(colon + 1), out var hostPort))
        {
            port = hostPort;
            host = host[..colon];
        }

        return host.StartsWith('/') ? new TelemetryTarget(TelemetrySystemName, host) : new TelemetryTarget(TelemetrySystemName, host, port);
    }

    public override string EngineVersionSql => "SHOW server_version";

    public override string CreateMigrationsTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)";

    public override string MigrationsTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";

    public override string CurrentTimestampSql => "now()";

    public override string TextListSource(string parameterName) => $"SELECT unnest({parameterName}) AS value";

    public override void AddGuid(DbCommand command, string name, Guid value) =>
        Parameters(command).Add(new NpgsqlParameter<Guid>(name, NpgsqlDbType.Uuid) { TypedValue = value });

    public override void AddNullableGuid(DbCommand command, string name, Guid? value) =>
        AddNullable(command, name, NpgsqlDbType.Uuid, value);

    public override void AddText(DbCommand command, string name, string? value) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    public override void AddInt64(DbCommand command, string name, long value) =>
        Parameters(command).Add(new NpgsqlParameter<long>(name, NpgsqlDbType.Bigint) { TypedValue = value });

    public override void AddInt32(DbCommand command, string name, int value) =>
        Parameters(command).Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });

    public override void AddBoolean(DbCommand command, string name, bool value) =>
        Parameters(command).Add(new NpgsqlParameter<bool>(name, NpgsqlDbType.Boolean) { TypedValue = value });

    public override void AddNullableBoolean(DbCommand command, string name, bool? value) =>
        AddNullable(command, name, NpgsqlDbType.Boolean, value);

    public override void AddTimestamp(DbCommand command, string name, DateTimeOffset? value) =>
        AddNullable(command, name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    // json, not jsonb: json keeps the canonical text the library wrote, so both engines return the same text.
    public override void AddJson(DbCommand command, string name, string? json) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Json) { Value = (object?)json ?? DBNull.Value });

    public override void AddTextList(DbCommand command, string name, IReadOnlyList<string> values) =>
        Parameters(command).Add(new NpgsqlParameter<string[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] });

    public override void AddBytes(DbCommand command, string name, byte[]? value) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = (object?)value ?? DBNull.Value });

    public override ValueTask<DbConnection> OpenConnectionAsync(DbDataSource dataSource, bool waitForStartup, CancellationToken cancellationToken) =>
        _connectedOnce || !waitForStartup ? dataSource.OpenConnectionAsync(cancellationToken) : OpenFirstAsync(dataSource, cancellationToken);

    /// <summary>
    /// The server ended the session (a restart or shutdown: 57P01/57P02) or the socket broke: the connection is dead,
    /// and so are the other idle ones of the pool.
    /// </summary>
    public override bool IsBrokenConnection(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        NpgsqlException npgsql => npgsql.InnerException is IOException or SocketException,
        _ => false,
    };

    // The pool's other idle connections died with this one; without this, each would fail one caller in turn.
    // NpgsqlConnection.ClearPool would not do: it reaches the connection-string pools, not a data source's.
    public override void OnBrokenConnection(DbDataSource dataSource, DbConnection connection) => ((NpgsqlDataSource)dataSource).Clear();

    // A pooled connection whose server restarted is dead until something is sent on it.
    public override string? PingSql => "SELECT 1";

    /// <inheritdoc />
    public override ValueTask<BulkLoader> CreateBulkLoaderAsync(DbSession session, PortableTable table, bool skipExisting, CancellationToken cancellationToken) =>
        PostgresBulkLoader.CreateAsync(session, table, skipExisting, cancellationToken);

    /// <summary>
    /// A connection not used for <see cref="IdleBeforePing"/>, or never used by this provider, may be one the server
    /// ended while it sat in Npgsql's pool: tracked per server process, since Npgsql does not say how long it was idle.
    /// Under steady traffic no write pays for the check; after a quiet spell each connection is checked once.
    /// </summary>
    public override bool MayHaveDiedIdle(DbConnection connection) =>
        !_lastUsed.TryGetValue(((NpgsqlConnection)connection).ProcessID, out var used) || _time.GetElapsedTime(used) > IdleBeforePing;

    public override void MarkUsed(DbConnection connection)
    {
        // Bounded: server process ids change with every new connection; the map is rebuilt as connections are used.
        if (_lastUsed.Count > MaxTrackedConnections)
        {
            _lastUsed.Clear();
        }

        _lastUsed[((NpgsqlConnection)connection).ProcessID] = _time.GetTimestamp();
    }

    public override Guid ReadGuid(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override EngineError Classify(Exception exception) => exception switch
    {
        PostgresException pg => ClassifyServerError(pg),

        // Npgsql raises these before the server said anything: TLS refused, network errors, timeouts.
        NpgsqlException { InnerException: System.Security.Authentication.AuthenticationException } =>
            new EngineError(EngineErrorKind.Configuration, null, "tls", "the TLS handshake with the server failed (its certificate was not accepted, or sslmode asks for what it cannot do)"),
        NpgsqlException npgsql when IsTlsRefused(npgsql) =>
            new EngineError(EngineErrorKind.Configuration, null, "tls", "the server does not support TLS but sslmode=require was set; enable TLS on the server or change sslmode"),
        NpgsqlException npgsql when IsNoSuitableHost(npgsql) =>
            new EngineError(EngineErrorKind.Unavailable, null, "connection", "no server among the URL's hosts answered as target_session_attrs asks (all unreachable, or none is the primary yet during a failover)"),
        NpgsqlException npgsql => npgsql.IsTransient
            ? new EngineError(EngineErrorKind.Unavailable, null, "connection", ConnectionCause(npgsql))
            : new EngineError(EngineErrorKind.Other, null, "npgsql"),
        SocketException or TimeoutException => new EngineError(EngineErrorKind.Unavailable, null, "connection", ConnectionCause(exception)),
        _ => EngineError.NotAnEngineError,
    };

    public override async Task LockForMigrationAsync(DbSession session, CancellationToken cancellationToken) =>
        await session.Sql("SELECT pg_advisory_xact_lock(@key)").Int64("key", MigrationLockKey)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);

    private static EngineError ClassifyServerError(PostgresException pg) => pg.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => new EngineError(EngineErrorKind.UniqueViolation, pg.ConstraintName, pg.SqlState),
        PostgresErrorCodes.ForeignKeyViolation => new EngineError(EngineErrorKind.ForeignKeyViolation, pg.ConstraintName, pg.SqlState),

        // The server aborted the transaction to break a conflict: running it again may well succeed.
        PostgresErrorCodes.SerializationFailure =>
            new EngineError(EngineErrorKind.TransactionConflict, null, pg.SqlState, "a serialization failure with a concurrent transaction"),
        PostgresErrorCodes.DeadlockDetected =>
            new EngineError(EngineErrorKind.TransactionConflict, null, pg.SqlState, "a deadlock with another transaction"),
        PostgresErrorCodes.LockNotAvailable =>
            new EngineError(EngineErrorKind.Unavailable, null, pg.SqlState, "a lock held by another transaction was not released in time"),

        // Connection exceptions (08…), too many connections, server shutting down, cannot connect now.
        var state when state.StartsWith("08", StringComparison.Ordinal) || state is "53300" or "57P01" or "57P02" or "57P03" =>
            new EngineError(EngineErrorKind.Unavailable, null, pg.SqlState),

        // What the URL asks for and the server refuses: retrying cannot help. Server messages never carry the password.
        PostgresErrorCodes.InvalidPassword =>
            new EngineError(EngineErrorKind.Configuration, null, pg.SqlState, $"the server refused the password for user '{Quoted(pg.MessageText, "user") ?? "?"}'"),
        PostgresErrorCodes.InvalidAuthorizationSpecification =>
            new EngineError(EngineErrorKind.Configuration, null, pg.SqlState, RefusedLogin(pg.MessageText)),
        PostgresErrorCodes.InvalidCatalogName =>
            new EngineError(EngineErrorKind.Configuration, null, pg.SqlState, $"database '{Quoted(pg.MessageText, "database") ?? "?"}' does not exist"),
        PostgresErrorCodes.DiskFull =>
            new EngineError(EngineErrorKind.Other, null, pg.SqlState, "the server's disk is full"),
        _ => new EngineError(EngineErrorKind.Other, null, pg.SqlState),
    };

    private static string RefusedLogin(string messageText) =>
        Quoted(messageText, "role") is { } role ? $"role '{role}' does not exist"
        : Quoted(messageText, "user") is { } user ? $"the server does not accept a login by user '{user}' from this host ({messageText})"
        : $"the server does not accept this login ({messageText})";

    /// <summary>The name after <paramref name="word"/> in a server message such as <c>password authentication failed for user "app"</c>.</summary>
    private static string? Quoted(string messageText, string word)
    {
        var marker = word + " \"";
        var start = messageText.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = messageText.IndexOf('"', start);
        return end < 0 ? null : messageText[start..end];
    }

    // Npgsql has no error code for a server that answers 'no' to the TLS request; its message is the only sign.
    /// <summary>What went wrong with the connection, in words, from the innermost network exception.</summary>
    private static string ConnectionCause(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "the server refused the connection: nothing listens on that host and port, or the server is starting";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return "the server's host name could not be resolved";
                case SocketException socket:
                    return $"the server could not be reached ({socket.SocketErrorCode})";
                case TimeoutException:
                    return "the server did not answer in time";
                case EndOfStreamException or IOException:
                    return "the connection to the server was lost";
            }
        }

        return "the connection to the server failed";
    }

    /// <summary>
    /// Npgsql's multi-host data source found no host to serve the target session: every host failed to connect
    /// (an <see cref="AggregateException"/> of their errors), or those it reached are not what it needs (no primary
    /// while a standby is being promoted). Npgsql raises a plain exception, not transient, and says so only in its
    /// message; a failover makes it transient.
    /// </summary>
    private bool IsNoSuitableHost(NpgsqlException exception) => exception.InnerException switch
    {
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(e => Classify(e).Kind == EngineErrorKind.Unavailable),
        null => exception.Message.StartsWith("No suitable host", StringComparison.Ordinal),
        _ => false,
    };

    private static bool IsTlsRefused(NpgsqlException exception) =>
        exception.Message.Contains("SSL connection requested", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("does not support SSL", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlParameterCollection Parameters(DbCommand command) => ((NpgsqlCommand)command).Parameters;

    private static void AddNullable<T>(DbCommand command, string name, NpgsqlDbType type, T? value)
        where T : struct =>
        Parameters(command).Add(new NpgsqlParameter(name, type) { Value = value is { } v ? v : DBNull.Value });

    private async ValueTask<DbConnection> OpenFirstAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                _connectedOnce = true;
                return connection;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && Stopwatch.GetElapsedTime(started) + delay < _startupRetryTimeout)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
