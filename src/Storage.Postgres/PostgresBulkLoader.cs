using GatewayStorage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Postgres;

/// <summary>
/// Loads a table through binary <c>COPY</c> (<see cref="NpgsqlBinaryImporter"/>) on the session's transaction. When
/// existing rows are to be skipped, the rows are copied into a temporary staging table first and moved with one
/// <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c>, since <c>COPY</c> itself cannot skip.
/// </summary>
internal sealed class PostgresBulkLoader : BulkLoader
{
    private readonly DbSession _session;
    private readonly PortableTable _table;
    private readonly string? _staging;
    private readonly NpgsqlDbType[] _types;
    private NpgsqlBinaryImporter? _importer;

    private PostgresBulkLoader(DbSession session, PortableTable table, string? staging)
    {
        _session = session;
        _table = table;
        _staging = staging;
        _types = [.. table.Columns.Select(c => TypeOf(c.Kind))];
    }

    public static async ValueTask<BulkLoader> CreateAsync(DbSession session, PortableTable table, bool skipExisting, CancellationToken cancellationToken)
    {
        // Identifiers are the schema's own table names, never input.
        string? staging = null;
        if (skipExisting)
        {
            staging = $"gs_copy_{table.Name}";
            await session.Sql($"CREATE TEMP TABLE {staging} (LIKE {table.Name}) ON COMMIT DROP").ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        var loader = new PostgresBulkLoader(session, table, staging);
        var connection = (NpgsqlConnection)session.Connection;
        loader._importer = await connection
            .BeginBinaryImportAsync($"COPY {staging ?? table.Name} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken)
            .ConfigureAwait(false);
        return loader;
    }

    public override async ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken)
    {
        var importer = _importer!;
        await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] is { } value)
            {
                await WriteAsync(importer, value, _types[i], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Typed writes: writing a boxed object makes Npgsql resolve its converter per value (COPY-RESULTS.md).
    private static Task WriteAsync(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type, CancellationToken cancellationToken) => value switch
    {
        Guid guid => importer.WriteAsync(guid, type, cancellationToken),
        string text => importer.WriteAsync(text, type, cancellationToken),
        DateTimeOffset time => importer.WriteAsync(time, type, cancellationToken),
        bool flag => importer.WriteAsync(flag, type, cancellationToken),
        long number => importer.WriteAsync(number, type, cancellationToken),
        int number => importer.WriteAsync(number, type, cancellationToken),
        byte[] bytes => importer.WriteAsync(bytes, type, cancellationToken),
        _ => importer.WriteAsync(value, type, cancellationToken),
    };

    public override async ValueTask<long> CompleteAsync(CancellationToken cancellationToken)
    {
        var importer = _importer!;
        var copied = (long)await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await importer.DisposeAsync().ConfigureAwait(false);
        _importer = null;
        if (_staging is null)
        {
            return copied;
        }

        var inserted = await _session
            .Sql($"INSERT INTO {_table.Name} ({_table.ColumnList}) SELECT {_table.ColumnList} FROM {_staging} ON CONFLICT DO NOTHING")
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await _session.Sql($"DROP TABLE {_staging}").ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_importer is { } importer)
        {
            // Not completed: disposing cancels the COPY, and the transaction it ran in is rolled back by the caller.
            _importer = null;
            try
            {
                await importer.DisposeAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The COPY failed or the connection broke; the transaction's rollback undoes it either way.
            }
        }
    }

    private static NpgsqlDbType TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Guid => NpgsqlDbType.Uuid,
        ColumnKind.Text => NpgsqlDbType.Text,
        ColumnKind.Int32 => NpgsqlDbType.Integer,
        ColumnKind.Int64 => NpgsqlDbType.Bigint,
        ColumnKind.Boolean => NpgsqlDbType.Boolean,
        ColumnKind.Time => NpgsqlDbType.TimestampTz,
        ColumnKind.Json => NpgsqlDbType.Json,
        ColumnKind.Bytes => NpgsqlDbType.Bytea,
        _ => throw new InvalidOperationException($"Unknown column kind {kind}."),
    };
}
