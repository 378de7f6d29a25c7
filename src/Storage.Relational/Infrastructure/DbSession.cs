using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>
/// One connection of the data source for the span of one operation, with at most one transaction. Disposing it
/// rolls back an uncommitted transaction, hands the connection back to the data source and releases the writer lock.
/// </summary>
internal sealed class DbSession : IAsyncDisposable
{
    private const int MaxReconnects = 8;

    private readonly StoreContext _context;
    private readonly SessionKind _kind;
    private SemaphoreSlim? _writerLock;
    private OperationTelemetry _telemetry;
    private int _reconnects;
    private bool _disposed;

    public DbSession(StoreContext context, DbDataSource dataSource, DbConnection connection, SessionKind kind, SemaphoreSlim? writerLock, OperationTelemetry telemetry = default)
    {
        _telemetry = telemetry;
        _context = context;
        DataSource = dataSource;
        Connection = connection;
        _kind = kind;
        _writerLock = writerLock;
    }

    public DbConnection Connection { get; private set; }

    public SqlDialect Dialect => _context.Dialect;

    /// <summary>The data source the session's connection came from.</summary>
    public DbDataSource DataSource { get; }

    /// <summary>Records that a statement just succeeded on the session's connection: it is known to be alive.</summary>
    internal void MarkAlive() => Dialect.MarkUsed(Connection);

    public DbTransaction? Transaction { get; private set; }

    /// <summary>
    /// Whether a statement that failed because the connection died may run again on a fresh one: only in a read
    /// session outside a transaction, a few times at most: right after a server restart, the next idle connection the
    /// pool hands out may be dead too, until the pool is cleared.
    /// </summary>
    public bool CanRetryOnFreshConnection => _kind != SessionKind.Write && Transaction is null && _reconnects < MaxReconnects;

    /// <summary>Begins the session's transaction (SQLite: <c>BEGIN IMMEDIATE</c>, so a read-then-write never deadlocks).</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        try
        {
            Transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw Fail(StorageErrors.Translate(Dialect, error, ex));
        }
    }

    /// <summary>Begins a read-only snapshot transaction (see <see cref="SqlDialect.BeginSnapshotAsync"/>); it is rolled back on dispose.</summary>
    public async Task BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        try
        {
            Transaction = await Dialect.BeginSnapshotAsync(Connection, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw Fail(StorageErrors.Translate(Dialect, error, ex));
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = Transaction ?? throw new InvalidOperationException("No transaction to commit.");
        try
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw Fail(StorageErrors.Translate(Dialect, error, ex));
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            Transaction = null;
        }
    }

    /// <summary>Records the engine error a statement of this session was translated to (the span's <c>error.type</c>) and returns it.</summary>
    internal StorageException Fail(StorageException translated)
    {
        _telemetry.Fail(translated);
        return translated;
    }

    /// <summary>Starts a statement on this session's connection and transaction.</summary>
    public Statement Sql(string sql) => new(this, CreateCommand(sql));

    /// <summary>A command for <paramref name="sql"/> on the current connection, in the current transaction.</summary>
    internal DbCommand CreateCommand(string sql)
    {
        var command = Dialect.CreateCommand(Connection, sql);
        command.Transaction = Transaction;
        command.CommandTimeout = _context.CommandTimeoutSeconds;
        return command;
    }

    /// <summary>Replaces a dead connection with a fresh one from the data source (see <see cref="CanRetryOnFreshConnection"/>).</summary>
    internal async ValueTask ReconnectAsync(CancellationToken cancellationToken)
    {
        _reconnects++;
        var dead = Connection;
        Dialect.OnBrokenConnection(DataSource, dead);
        await dead.DisposeAsync().ConfigureAwait(false);
        Connection = await _context.OpenConnectionAsync(DataSource, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (Transaction is not null)
            {
                await Transaction.DisposeAsync().ConfigureAwait(false);
                Transaction = null;
            }
        }
        finally
        {
            try
            {
                await Connection.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _writerLock?.Release();
                _writerLock = null;
                _telemetry.End();
            }
        }
    }
}
