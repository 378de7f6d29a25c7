using System.Data.Common;

namespace GatewayStorage.Tests.Schema;

/// <summary>
/// Reads a PostgreSQL database's schema (the connection's current schema) from the engine:
/// information_schema for tables and columns, pg_catalog for indexes, primary keys and foreign keys.
/// </summary>
public static class PostgresSchemaReader
{
    private const string TablesSql = """
        SELECT table_name::text FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        ORDER BY table_name
        """;

    private const string ColumnsSql = """
        SELECT c.table_name::text, c.column_name::text, c.is_nullable::text = 'YES', c.data_type::text
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position
        """;

    // Key columns only (the first indnkeyatts of indkey); attnum 0 is an expression.
    private const string IndexesSql = """
        SELECT t.relname::text, i.indisunique, i.indisprimary, i.indpred IS NOT NULL,
               ARRAY(SELECT COALESCE(a.attname::text, '<expression>')
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts
                     ORDER BY k.ord)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r'
        ORDER BY t.relname
        """;

    private const string ForeignKeysSql = """
        SELECT t.relname::text, r.relname::text,
               ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
               ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord),
               c.confdeltype::text, c.confupdtype::text
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_class r ON r.oid = c.confrelid
        WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
        ORDER BY t.relname, c.conname
        """;

    /// <summary>The kind of a PostgreSQL type as <c>information_schema.columns.data_type</c> names it.</summary>
    public static ColumnKind KindOf(string dataType) => dataType switch
    {
        "uuid" => ColumnKind.Uuid,
        "text" or "character varying" => ColumnKind.Text,
        "bigint" or "integer" or "smallint" => ColumnKind.Integer,
        "boolean" => ColumnKind.Boolean,
        "timestamp with time zone" => ColumnKind.Timestamp,
        "jsonb" or "json" => ColumnKind.Json,
        "bytea" => ColumnKind.Bytes,
        _ => ColumnKind.Unknown,
    };

    /// <summary>The SQL spelling of a <c>pg_constraint.confdeltype</c>/<c>confupdtype</c> code, as SQLite reports it.</summary>
    public static string RuleOf(string code) => code switch
    {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => $"unknown rule '{code}'",
    };

    public static async Task<SchemaModel> ReadAsync(DbConnection connection)
    {
        var model = new SchemaModel("postgres");
        foreach (var name in await QueryAsync(connection, TablesSql, r => r.GetString(0)))
        {
            model.Table(name);
        }

        foreach (var c in await QueryAsync(connection, ColumnsSql, r => (Table: r.GetString(0), Name: r.GetString(1), Nullable: r.GetBoolean(2), Type: r.GetString(3))))
        {
            model.Table(c.Table).Columns.Add(new ColumnModel(c.Name, c.Nullable, KindOf(c.Type), c.Type));
        }

        var indexes = await QueryAsync(
            connection,
            IndexesSql,
            r => (Table: r.GetString(0), Unique: r.GetBoolean(1), Primary: r.GetBoolean(2), Partial: r.GetBoolean(3), Columns: r.GetFieldValue<string[]>(4)));
        foreach (var index in indexes)
        {
            var table = model.Table(index.Table);
            if (index.Primary)
            {
                table.PrimaryKey.AddRange(index.Columns);
            }

            (index.Unique ? table.UniqueKeys : table.Indexes).Add(new IndexModel(index.Columns, index.Partial));
        }

        var foreignKeys = await QueryAsync(
            connection,
            ForeignKeysSql,
            r => (Table: r.GetString(0), Referenced: r.GetString(1), Columns: r.GetFieldValue<string[]>(2), ReferencedColumns: r.GetFieldValue<string[]>(3),
                OnDelete: r.GetString(4), OnUpdate: r.GetString(5)));
        foreach (var key in foreignKeys)
        {
            model.Table(key.Table).ForeignKeys.Add(
                new ForeignKeyModel(key.Columns, key.Referenced, key.ReferencedColumns, RuleOf(key.OnDelete), RuleOf(key.OnUpdate)));
        }

        return model;
    }

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
