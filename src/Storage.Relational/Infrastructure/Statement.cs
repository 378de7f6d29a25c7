using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>Reads one row into a value.</summary>
internal delegate T RowReader<out T>(in Row row);

/// <summary>
/// One SQL statement with its parameters, bound through the dialect, executed once. The engine receives the text
/// as written. Engine errors come out translated into <see cref="StorageException"/>s; in a read session, a statement
/// whose connection turned out dead (the server restarted) runs once more on a fresh connection.
/// </summary>
internal sealed class Statement
{
    private readonly DbSession _session;
    private readonly SqlDialect _dialect;
    private DbCommand _command;

    public Statement(DbSession session, DbCommand command)
    {
        _session = session;
        _dialect = session.Dialect;
        _command = command;
    }

    public Statement Guid(string name, Guid value)
    {
        _dialect.AddGuid(_command, name, value);
        return this;
    }

    public Statement Guid(string name, Guid? value)
    {
        _dialect.AddNullableGuid(_command, name, value);
        return this;
    }

    public Statement Text(string name, string? value)
    {
        _dialect.AddText(_command, name, value);
        return this;
    }

    public Statement Int64(string name, long value)
    {
        _dialect.AddInt64(_command, name, value);
        return this;
    }

    public Statement Int32(string name, int value)
    {
        _dialect.AddInt32(_command, name, value);
        return this;
    }

    public Statement Boolean(string name, bool value)
    {
        _dialect.AddBoolean(_command, name, value);
        return this;
    }

    public Statement Boolean(string name, bool? value)
    {
        _dialect.AddNullableBoolean(_command, name, value);
        return this;
    }

    public Statement Time(string name, DateTimeOffset? value)
    {
        _dialect.AddTimestamp(_command, name, value);
        return this;
    }

    public Statement Json(string name, string? json)
    {
        _dialect.AddJson(_command, name, json);
        return this;
    }

    public Statement Bytes(string name, byte[]? value)
    {
        _dialect.AddBytes(_command, name, value);
        return this;
    }

    public Statement TextList(string name, IReadOnlyList<string> values)
    {
        _dialect.AddTextList(_command, name, values);
        return this;
    }

    /// <summary>Executes the statement and returns the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(CancellationToken cancellationToken) =>
        RunAsync(static (command, _, token) => command.ExecuteNonQueryAsync(token), (object?)null, cancellationToken);

    /// <summary>Executes the statement and reads its first row, or returns <see langword="default"/> when it has none.</summary>
    public Task<T?> QuerySingleOrDefaultAsync<T>(RowReader<T> read, CancellationToken cancellationToken) =>
        RunAsync(static (command, state, token) => ReadFirstAsync(command, state.read, state.dialect, token), (read, dialect: _dialect), cancellationToken);

    /// <summary>Executes the statement and reads every row.</summary>
    public Task<List<T>> QueryAsync<T>(RowReader<T> read, CancellationToken cancellationToken) =>
        RunAsync(static (command, state, token) => ReadAllAsync(command, state.read, state.dialect, token), (read, dialect: _dialect), cancellationToken);

    /// <summary>Executes the statement and returns its first column of its first row.</summary>
    public Task<T?> ScalarAsync<T>(RowReader<T> read, CancellationToken cancellationToken) =>
        QuerySingleOrDefaultAsync(read, cancellationToken);

    private async Task<TResult> RunAsync<TState, TResult>(
        Func<DbCommand, TState, CancellationToken, Task<TResult>> run, TState state, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    var result = await run(_command, state, cancellationToken).ConfigureAwait(false);
                    _session.MarkAlive();
                    return result;
                }
                catch (Exception ex) when (_session.CanRetryOnFreshConnection && _dialect.IsBrokenConnection(ex) && !cancellationToken.IsCancellationRequested)
                {
                    // Idle connections die with a server restart; a read is safe to run again on a fresh one.
                    await MoveToFreshConnectionAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (_dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            if (_dialect.IsBrokenConnection(ex))
            {
                _dialect.OnBrokenConnection(_session.DataSource, _session.Connection);
            }

            throw _session.Fail(StorageErrors.Translate(_dialect, error, ex));
        }
        finally
        {
            await _dialect.ReleaseCommandAsync(_command).ConfigureAwait(false);
        }
    }

    private async Task MoveToFreshConnectionAsync(CancellationToken cancellationToken)
    {
        var parameters = new DbParameter[_command.Parameters.Count];
        _command.Parameters.CopyTo(parameters, 0);
        _command.Parameters.Clear();
        await _dialect.ReleaseCommandAsync(_command).ConfigureAwait(false);
        await _session.ReconnectAsync(cancellationToken).ConfigureAwait(false);
        _command = _session.CreateCommand(_command.CommandText);
        _command.Parameters.AddRange(parameters);
    }

    private static async Task<T?> ReadFirstAsync<T>(DbCommand command, RowReader<T> read, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return default;
            }

            var row = new Row(reader, dialect);
            var value = read(in row);

            // Drain the rest so that an error raised by a later row (or the statement's end) surfaces here.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
            }

            return value;
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(DbCommand command, RowReader<T> read, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var rows = new List<T>();
            var row = new Row(reader, dialect);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(in row));
            }

            return rows;
        }
    }
}
