using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>
/// One rented connection for the span of one operation, with at most one transaction. Disposing it rolls back
/// an uncommitted transaction and gives the connection back.
/// </summary>
internal sealed class DbSession : IAsyncDisposable
{
    private readonly ConnectionSource _source;
    private readonly int _commandTimeoutSeconds;
    private bool _disposed;

    public DbSession(ConnectionSource source, DbConnection connection, SqlDialect dialect, int commandTimeoutSeconds)
    {
        _source = source;
        Connection = connection;
        Dialect = dialect;
        _commandTimeoutSeconds = commandTimeoutSeconds;
    }

    public DbConnection Connection { get; }

    public SqlDialect Dialect { get; }

    public DbTransaction? Transaction { get; private set; }

    /// <summary>Begins the session's transaction (SQLite: <c>BEGIN IMMEDIATE</c>, so a read-then-write never deadlocks).</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        try
        {
            Transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(Dialect, error, ex);
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
            throw StorageErrors.Translate(Dialect, error, ex);
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            Transaction = null;
        }
    }

    /// <summary>Prepares a statement on this session's connection and transaction.</summary>
    public Statement Sql(string sql)
    {
        var command = _source.GetCommand(Connection, sql);
        command.Transaction = Transaction;
        command.CommandTimeout = _commandTimeoutSeconds;
        return new Statement(command, Dialect, _source);
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
            await _source.ReturnAsync(Connection).ConfigureAwait(false);
        }
    }
}
