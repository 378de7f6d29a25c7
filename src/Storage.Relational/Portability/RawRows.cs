using System.Data.Common;
using System.Runtime.CompilerServices;

namespace GatewayStorage.Relational;

/// <summary>
/// The one raw row stream of every table: each stored column as stored (ciphertext, hashes), in key order, through
/// the dialect's type mapping into one CLR type per <see cref="ColumnKind"/>. Unlike <see cref="KeysetBatches"/> it
/// reads with one statement on the caller's session, so that a copy reads every table in one snapshot; the engine's
/// reader streams, so memory stays flat.
/// </summary>
internal static class RawRows
{
    /// <summary>Streams every row of <paramref name="table"/>: one value per column, <see langword="null"/> for null.</summary>
    public static async IAsyncEnumerable<object?[]> StreamAsync(
        DbSession session, PortableTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dialect = session.Dialect;
        var command = session.CreateCommand(table.SelectSql);
        try
        {
            var reader = await Translated(dialect, command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var row = new Row(reader, dialect);
                while (await Translated(dialect, reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return Read(in row, table.Columns);
                }
            }
        }
        finally
        {
            await dialect.ReleaseCommandAsync(command).ConfigureAwait(false);
        }
    }

    private static object?[] Read(in Row row, IReadOnlyList<PortableColumn> columns)
    {
        var values = new object?[columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = row.IsNull(i) ? null : columns[i].Kind switch
            {
                ColumnKind.Guid => row.Guid(i),
                ColumnKind.Text => row.Text(i),
                ColumnKind.Int32 => row.Int32(i),
                ColumnKind.Int64 => row.Int64(i),
                ColumnKind.Boolean => row.Boolean(i),
                ColumnKind.Time => row.Time(i),
                ColumnKind.Json => row.Json(i),
                ColumnKind.Bytes => row.Bytes(i),
                _ => throw new InvalidOperationException($"Unknown column kind {columns[i].Kind}."),
            };
        }

        return values;
    }

    private static async Task<T> Translated<T>(SqlDialect dialect, Task<T> operation)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageException && dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            throw StorageErrors.Translate(dialect, error, ex);
        }
    }
}
