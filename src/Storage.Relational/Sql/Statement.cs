using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>Reads one row into a value.</summary>
internal delegate T RowReader<out T>(in Row row);

/// <summary>
/// One SQL statement with its parameters, bound through the dialect, executed once. Engine errors come out
/// translated into <see cref="StorageException"/>s; the command goes back to its connection source after execution.
/// </summary>
internal sealed class Statement
{
    private readonly DbCommand _command;
    private readonly SqlDialect _dialect;
    private readonly ConnectionSource _source;

    public Statement(DbCommand command, SqlDialect dialect, ConnectionSource source)
    {
        _command = command;
        _dialect = dialect;
        _source = source;
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
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        try
        {
            _dialect.CompleteBinding(_command);
            return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(_dialect, error, ex);
        }
        finally
        {
            await _source.ReleaseCommandAsync(_command).ConfigureAwait(false);
        }
    }

    /// <summary>Executes the statement and reads its first row, or returns <see langword="default"/> when it has none.</summary>
    public async Task<T?> QuerySingleOrDefaultAsync<T>(RowReader<T> read, CancellationToken cancellationToken)
    {
        try
        {
            _dialect.CompleteBinding(_command);
            var reader = await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return default;
                }

                var row = new Row(reader, _dialect);
                var value = read(in row);

                // Drain the rest so that an error raised by a later row (or the statement's end) surfaces here.
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                return value;
            }
        }
        catch (Exception ex) when (_dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(_dialect, error, ex);
        }
        finally
        {
            await _source.ReleaseCommandAsync(_command).ConfigureAwait(false);
        }
    }

    /// <summary>Executes the statement and reads every row.</summary>
    public async Task<List<T>> QueryAsync<T>(RowReader<T> read, CancellationToken cancellationToken)
    {
        try
        {
            _dialect.CompleteBinding(_command);
            var reader = await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<T>();
                var row = new Row(reader, _dialect);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(in row));
                }

                return rows;
            }
        }
        catch (Exception ex) when (_dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(_dialect, error, ex);
        }
        finally
        {
            await _source.ReleaseCommandAsync(_command).ConfigureAwait(false);
        }
    }

    /// <summary>Executes the statement and returns its first column of its first row.</summary>
    public Task<T?> ScalarAsync<T>(RowReader<T> read, CancellationToken cancellationToken) =>
        QuerySingleOrDefaultAsync(read, cancellationToken);
}
