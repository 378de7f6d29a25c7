using System.Data.Common;

namespace GatewayStorage.Tests.Schema;

/// <summary>Reads a SQLite database's schema from the engine: sqlite_master and the table, index and foreign key pragmas.</summary>
public static class SqliteSchemaReader
{
    /// <summary>The kind of a declared SQLite column type; the scripts declare the kind by name.</summary>
    public static ColumnKind KindOf(string declaredType) => declaredType.Trim().ToUpperInvariant() switch
    {
        "UUID" => ColumnKind.Uuid,
        "TEXT" => ColumnKind.Text,
        "INTEGER" => ColumnKind.Integer,
        "BOOLEAN" => ColumnKind.Boolean,
        "TIMESTAMP" => ColumnKind.Timestamp,
        "JSON_TEXT" => ColumnKind.Json,
        "BLOB" => ColumnKind.Bytes,
        _ => ColumnKind.Unknown,
    };

    public static async Task<SchemaModel> ReadAsync(DbConnection connection)
    {
        var model = new SchemaModel("sqlite");
        var tables = await QueryAsync(
            connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            r => r.GetString(0));

        foreach (var name in tables)
        {
            var table = model.Table(name);
            var quoted = Quote(name);

            // cid, name, type, notnull, dflt_value, pk (1-based position in the primary key, 0 when not in it)
            var columns = await QueryAsync(
                connection,
                $"SELECT name, type, \"notnull\", pk FROM pragma_table_info({quoted}) ORDER BY cid",
                r => (Name: r.GetString(0), Type: r.GetString(1), NotNull: r.GetInt64(2) != 0, Pk: r.GetInt64(3)));
            foreach (var c in columns)
            {
                table.Columns.Add(new ColumnModel(c.Name, !c.NotNull, KindOf(c.Type), c.Type));
            }

            // The primary key comes from table_info: an INTEGER PRIMARY KEY is the rowid and has no index to list.
            table.PrimaryKey.AddRange(columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name));
            if (table.PrimaryKey.Count > 0)
            {
                table.UniqueKeys.Add(new IndexModel([.. table.PrimaryKey], IsPartial: false));
            }

            // seq, name, unique, origin ('c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' primary key), partial
            var indexes = await QueryAsync(
                connection,
                $"SELECT name, \"unique\", origin, partial FROM pragma_index_list({quoted})",
                r => (Name: r.GetString(0), Unique: r.GetInt64(1) != 0, Origin: r.GetString(2), Partial: r.GetInt64(3) != 0));
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                // cid -2 is an expression, -1 the rowid.
                var keyColumns = await QueryAsync(
                    connection,
                    $"SELECT cid, name FROM pragma_index_info({Quote(index.Name)}) ORDER BY seqno",
                    r => r.IsDBNull(1) ? (r.GetInt64(0) == -1 ? "<rowid>" : "<expression>") : r.GetString(1));
                var found = new IndexModel(keyColumns, index.Partial);
                (index.Unique ? table.UniqueKeys : table.Indexes).Add(found);
            }

            // id, seq, table, from, to, on_update, on_delete, match; one row per column of each key.
            var keyColumnsOfForeignKeys = await QueryAsync(
                connection,
                $"SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list({quoted}) ORDER BY id, seq",
                r => (Id: r.GetInt64(0), Table: r.GetString(2), From: r.GetString(3), To: r.IsDBNull(4) ? null : r.GetString(4),
                    OnUpdate: r.GetString(5), OnDelete: r.GetString(6)));
            foreach (var key in keyColumnsOfForeignKeys.GroupBy(k => k.Id))
            {
                var rows = key.ToList();
                IReadOnlyList<string> referenced = rows.TrueForAll(k => k.To is not null)
                    ? [.. rows.Select(k => k.To!)]
                    : await PrimaryKeyOfAsync(connection, rows[0].Table); // REFERENCES t without columns: t's primary key.
                table.ForeignKeys.Add(new ForeignKeyModel(
                    [.. rows.Select(k => k.From)],
                    rows[0].Table,
                    referenced,
                    rows[0].OnDelete.ToUpperInvariant(),
                    rows[0].OnUpdate.ToUpperInvariant()));
            }
        }

        return model;
    }

    private static Task<List<string>> PrimaryKeyOfAsync(DbConnection connection, string table) =>
        QueryAsync(connection, $"SELECT name FROM pragma_table_info({Quote(table)}) WHERE pk > 0 ORDER BY pk", r => r.GetString(0));

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
