using System.Data.Common;
using System.Runtime.CompilerServices;
using GatewayStorage.Security;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// What every store of one provider shares: the data source and its dialect, the clock, the id generator, the
/// secrets, the options, and the one-time schema check. Stores open their sessions here and nowhere else.
/// </summary>
internal sealed class StoreContext : IAsyncDisposable, IDisposable
{
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim? _writerLock;
    private readonly TimeSpan _writerLockTimeout;
    private readonly bool _autoMigrate;
    private const int MaxLivenessChecks = 16;

    private readonly SemaphoreSlim _readyLock = new(1, 1);
    private readonly SequentialIdGenerator _ids = new();
    private volatile bool _ready;
    private int _disposed;

    public StoreContext(RelationalBackendParts backend, StorageSecrets secrets, GatewayStorageOptions options, bool autoMigrate, TimeProvider time, ILogger logger)
    {
        Dialect = backend.Dialect;
        DataSource = backend.DataSource;
        StandbyDataSource = backend.StandbyDataSource ?? backend.DataSource;
        _ownsDataSource = backend.OwnsDataSource;
        _writerLock = backend.WriterLock;
        _writerLockTimeout = options.BusyTimeout;
        Secrets = secrets;
        Options = options;
        Time = time;
        Logger = logger;
        _autoMigrate = autoMigrate;
        CommandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        Migrations = new MigrationRunner(Dialect, backend.Migrations, token => OpenRawAsync(SessionKind.Write, token), time);
        Statements = new DialectStatements(Dialect);
        Telemetry = Dialect.DescribeForTelemetry(DataSource);
    }

    public SqlDialect Dialect { get; }

    public DbDataSource DataSource { get; }

    /// <summary>Where lag-tolerant reads connect: the backend's standby data source, or <see cref="DataSource"/>.</summary>
    public DbDataSource StandbyDataSource { get; }

    /// <summary>
    /// Tests only: called with each session's connection as soon as it is open, to ask the server where it runs
    /// (<c>pg_is_in_recovery()</c>, <c>inet_server_port()</c>). <see langword="null"/> outside tests.
    /// </summary>
    internal Func<DbConnection, CancellationToken, ValueTask>? SessionOpenedHook { get; set; }

    public StorageSecrets Secrets { get; }

    public GatewayStorageOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public MigrationRunner Migrations { get; }

    public DialectStatements Statements { get; }

    public int CommandTimeoutSeconds { get; }

    /// <summary>What spans and metrics say about this provider's database (engine, server; never a credential).</summary>
    public TelemetryTarget Telemetry { get; }

    public DateTimeOffset Now() => StorageTime.Now(Time);

    public Guid NewId(DateTimeOffset now) => _ids.Next(now);

    /// <summary>
    /// Opens a session that only reads, checking the schema on first use. The session is one span and one duration
    /// measurement, named after the calling store operation and the table it reads.
    /// </summary>
    /// <param name="collection">The table the operation is about (OpenTelemetry's <c>db.collection.name</c>).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="operation">The store operation (OpenTelemetry's <c>db.operation.name</c>, without "Async").</param>
    public ValueTask<DbSession> ReadAsync(string collection, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        OpenAsync(SessionKind.Read, OperationTelemetry.Start(Telemetry, operation, collection), cancellationToken);

    /// <summary>
    /// Opens a session that only reads and tolerates replica lag (see <see cref="SessionKind.LagTolerantRead"/>),
    /// checking the schema on first use; traced and measured as <see cref="ReadAsync"/>.
    /// </summary>
    /// <param name="collection">The table the operation is about (OpenTelemetry's <c>db.collection.name</c>).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="operation">The store operation (OpenTelemetry's <c>db.operation.name</c>, without "Async").</param>
    public ValueTask<DbSession> ReadLagTolerantAsync(string collection, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        OpenAsync(SessionKind.LagTolerantRead, OperationTelemetry.Start(Telemetry, operation, collection), cancellationToken);

    /// <summary>Opens a session that writes, checking the schema on first use; traced and measured as <see cref="ReadAsync"/>.</summary>
    /// <param name="collection">The table the operation is about (OpenTelemetry's <c>db.collection.name</c>).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="operation">The store operation (OpenTelemetry's <c>db.operation.name</c>, without "Async").</param>
    public ValueTask<DbSession> WriteAsync(string collection, CancellationToken cancellationToken, [CallerMemberName] string operation = "") =>
        OpenAsync(SessionKind.Write, OperationTelemetry.Start(Telemetry, operation, collection), cancellationToken);

    // Not async itself: the span that ReadAsync/WriteAsync started must stay current for the caller, and an async
    // method's changes to Activity.Current do not flow back to its caller.
    private ValueTask<DbSession> OpenAsync(SessionKind kind, OperationTelemetry telemetry, CancellationToken cancellationToken)
    {
        try
        {
            // A cancelled caller gets OperationCanceledException before anything is read or written.
            cancellationToken.ThrowIfCancellationRequested();
            return _ready
                ? OpenRawAsync(kind, telemetry, waitForStartup: true, cancellationToken)
                : OpenAfterReadyAsync(kind, telemetry, cancellationToken);
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            telemetry.End();
            return ValueTask.FromException<DbSession>(ex);
        }
    }

    private async ValueTask<DbSession> OpenAfterReadyAsync(SessionKind kind, OperationTelemetry telemetry, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            telemetry.End();
            throw;
        }

        return await OpenRawAsync(kind, telemetry, waitForStartup: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a session without the schema check (migrations, health).</summary>
    /// <param name="kind">Whether the session writes.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <param name="waitForStartup">Whether a first connection waits out the start-up retry; health checks do not.</param>
    public ValueTask<DbSession> OpenRawAsync(SessionKind kind, CancellationToken cancellationToken, bool waitForStartup = true) =>
        OpenRawAsync(kind, default, waitForStartup, cancellationToken);

    /// <summary>Opens a session observed by <paramref name="telemetry"/>: its span ends with the session, or here if it cannot open.</summary>
    private async ValueTask<DbSession> OpenRawAsync(SessionKind kind, OperationTelemetry telemetry, bool waitForStartup, CancellationToken cancellationToken)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return await OpenSessionAsync(kind, telemetry, waitForStartup, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex);
            telemetry.End();
            throw;
        }
    }

    private async ValueTask<DbSession> OpenSessionAsync(SessionKind kind, OperationTelemetry telemetry, bool waitForStartup, CancellationToken cancellationToken)
    {
        var writerLock = kind == SessionKind.Write ? _writerLock : null;
        if (writerLock is not null && !await writerLock.WaitAsync(_writerLockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new StorageUnavailableException(
                $"The {Dialect.BackendName} database stayed busy with other writes for longer than the busy timeout ({_writerLockTimeout.TotalSeconds:0.###} s); the operation may succeed if retried.");
        }

        try
        {
            var dataSource = kind == SessionKind.LagTolerantRead ? StandbyDataSource : DataSource;
            var connection = await OpenConnectionAsync(dataSource, cancellationToken, waitForStartup).ConfigureAwait(false);
            if (kind == SessionKind.Write && Dialect.PingSql is { } ping && Dialect.MayHaveDiedIdle(connection))
            {
                connection = await EnsureAliveAsync(connection, ping, cancellationToken, waitForStartup).ConfigureAwait(false);
            }

            if (SessionOpenedHook is { } hook)
            {
                await hook(connection, cancellationToken).ConfigureAwait(false);
            }

            return new DbSession(this, dataSource, connection, kind, writerLock, telemetry);
        }
        catch
        {
            writerLock?.Release();
            throw;
        }
    }

    /// <summary>
    /// Before a write on a connection that may have died idle, checks it with a statement that changes nothing, and
    /// takes a fresh one if it is dead. A write is never run twice: only the check is, and a write that fails on a
    /// connection that died after the check fails as transient.
    /// </summary>
    private async ValueTask<DbConnection> EnsureAliveAsync(DbConnection connection, string ping, CancellationToken cancellationToken, bool waitForStartup)
    {
        // Bounded: the pool's other idle connections died too, and the pool may hand out one more before it is cleared.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var command = Dialect.CreateCommand(connection, ping);
                try
                {
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await Dialect.ReleaseCommandAsync(command).ConfigureAwait(false);
                }

                Dialect.MarkUsed(connection);
                return connection;
            }
            catch (Exception ex) when (attempt < MaxLivenessChecks && Dialect.IsBrokenConnection(ex) && !cancellationToken.IsCancellationRequested)
            {
                Dialect.OnBrokenConnection(DataSource, connection);
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = await OpenConnectionAsync(cancellationToken, waitForStartup).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (ex is not StorageException && Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
                {
                    throw StorageErrors.Translate(Dialect, error, ex);
                }

                throw;
            }
        }
    }

    /// <summary>Opens a connection of the data source; engine failures come out as <see cref="StorageException"/>s.</summary>
    public ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken, bool waitForStartup = true) =>
        OpenConnectionAsync(DataSource, cancellationToken, waitForStartup);

    /// <summary>Opens a connection of <paramref name="dataSource"/>; engine failures come out as <see cref="StorageException"/>s.</summary>
    public async ValueTask<DbConnection> OpenConnectionAsync(DbDataSource dataSource, CancellationToken cancellationToken, bool waitForStartup = true)
    {
        try
        {
            return await Dialect.OpenConnectionAsync(dataSource, waitForStartup, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageException && Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            // Connection problems classify as unavailable; a missing database or a refused login stays non-transient.
            throw StorageErrors.Translate(Dialect, error, ex);
        }
    }

    /// <summary>Migrates (auto-migrate on) or checks the schema (off), once; later calls return at once.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _readyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            if (_autoMigrate)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Migrations.EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
            }

            await VerifyKeysAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _readyLock.Release();
        }
    }

    /// <summary>Applies pending migrations and logs what it applied.</summary>
    public async Task<IReadOnlyList<AppliedMigration>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrations.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            StorageLog.Migrated(Logger, Dialect.BackendName, applied.Count, applied[^1].Version);
        }

        return applied;
    }

    /// <summary>Checks the configured keys against the check values the database recorded, and records new ones.</summary>
    public Task VerifyKeysAsync(CancellationToken cancellationToken) =>
        KeyCheck.VerifyAsync(token => OpenRawAsync(SessionKind.Write, token), Secrets, Time, Logger, cancellationToken);

    /// <summary>
    /// Decrypts a stored secret of this provider's database; a value that does not decrypt is counted
    /// (<c>gatewaystorage.secret.decryption_failures</c>) and logged (event 13) by its row and key id before the
    /// <see cref="SecretDecryptionException"/> reaches the caller.
    /// </summary>
    public string Decrypt(string stored, SecretContext secretContext)
    {
        try
        {
            return Secrets.Keys.Decrypt(stored, secretContext);
        }
        catch (SecretDecryptionException ex)
        {
            StorageTelemetry.DecryptionFailed(Telemetry.SystemName, secretContext.Table, secretContext.Column);
            StorageLog.SecretDecryptionFailed(Logger, secretContext.Table, secretContext.Column, secretContext.RowId, ex.KeyId);
            throw;
        }
    }

    /// <summary>Marks the schema and keys as checked (after an explicit migration).</summary>
    public void MarkReady() => _ready = true;

    /// <summary>Runs a write that may violate a foreign key, and names the missing entity when it does.</summary>
    public async Task<T> WithReferencesAsync<T>(Task<T> operation, CancellationToken cancellationToken, params (string Entity, string Table, Guid Id)[] references)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (ForeignKeyViolationException ex)
        {
            foreach (var (entity, table, id) in references)
            {
                if (!await ExistsAsync(table, id, cancellationToken).ConfigureAwait(false))
                {
                    throw new EntityNotFoundException(entity, id.ToString(), ex.InnerException);
                }
            }

            var first = references[0];
            throw new EntityNotFoundException(first.Entity, first.Id.ToString(), ex.InnerException);
        }
    }

    /// <summary>Whether the row <paramref name="id"/> of <paramref name="table"/> (one of the library's own table names) exists.</summary>
    public async Task<bool> ExistsAsync(string table, Guid id, CancellationToken cancellationToken)
    {
        var session = await OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // The table name is one of our own constants, never input.
            return await session.Sql($"SELECT 1 FROM {table} WHERE id = @id").Guid("id", id)
                .QuerySingleOrDefaultAsync(static (in Row r) => true, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_ownsDataSource)
        {
            DataSource.Dispose();
        }

        Secrets.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }

        Secrets.Dispose();
    }
}
