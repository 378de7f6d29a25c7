namespace GatewayStorage.Relational;

/// <summary>
/// Loads a table with one insert statement per row, on the session's transaction. On SQLite the statement is prepared
/// once per connection and reused for every row (see <see cref="SqlDialect.CreateCommand"/>).
/// </summary>
internal sealed class InsertBulkLoader(DbSession session, PortableTable table, bool skipExisting) : BulkLoader
{
    private readonly string _sql = skipExisting ? table.InsertSkippingSql : table.InsertSql;
    private long _written;

    public override async ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken)
    {
        var statement = session.Sql(_sql);
        for (var i = 0; i < row.Length; i++)
        {
            Bind(statement, table.Columns[i], row[i]);
        }

        _written += await statement.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask<long> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_written);

    private static void Bind(Statement statement, PortableColumn column, object? value)
    {
        var name = column.Name;
        _ = column.Kind switch
        {
            ColumnKind.Guid => statement.Guid(name, (Guid?)value),
            ColumnKind.Text => statement.Text(name, (string?)value),
            ColumnKind.Int32 => statement.Int32(name, (int)value!),
            ColumnKind.Int64 => statement.Int64(name, (long)value!),
            ColumnKind.Boolean => statement.Boolean(name, (bool?)value),
            ColumnKind.Time => statement.Time(name, (DateTimeOffset?)value),
            ColumnKind.Json => statement.Json(name, (string?)value),
            ColumnKind.Bytes => statement.Bytes(name, (byte[]?)value),
            _ => throw new InvalidOperationException($"Unknown column kind {column.Kind}."),
        };
    }
}
