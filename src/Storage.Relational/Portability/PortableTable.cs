namespace GatewayStorage.Relational;

/// <summary>
/// One table as a copy sees it: every stored column (secrets as ciphertext, hashes as hashes), and the key columns
/// it is read in order of. The statements are built once, from the schema's own identifiers, never from input.
/// </summary>
internal sealed class PortableTable
{
    public PortableTable(string name, string[] key, params PortableColumn[] columns)
    {
        Name = name;
        Key = key;
        Columns = columns;
        var list = string.Join(", ", columns.Select(c => c.Name));
        ColumnList = list;

        // Key columns of text are ordered by byte (PostgreSQL declares them COLLATE "C"; SQLite compares with BINARY),
        // and UUIDs compare alike as bytes and as lower-case text: both engines return rows in the same order.
        SelectSql = $"SELECT {list} FROM {name} ORDER BY {string.Join(", ", key)}";
        InsertSql = $"INSERT INTO {name} ({list}) VALUES ({string.Join(", ", columns.Select(c => "@" + c.Name))})";
        InsertSkippingSql = InsertSql + " ON CONFLICT DO NOTHING";
        AnyRowSql = $"SELECT 1 FROM {name} LIMIT 1";
        CountSql = $"SELECT COUNT(*) FROM {name}";
    }

    public string Name { get; }

    public IReadOnlyList<string> Key { get; }

    public IReadOnlyList<PortableColumn> Columns { get; }

    /// <summary>The column names, comma-separated, in <see cref="Columns"/> order.</summary>
    public string ColumnList { get; }

    /// <summary>Every row, every column, in key order.</summary>
    public string SelectSql { get; }

    /// <summary>Inserts one row; one parameter per column, named after it.</summary>
    public string InsertSql { get; }

    /// <summary>Inserts one row unless it collides with an existing one.</summary>
    public string InsertSkippingSql { get; }

    /// <summary>Returns a row when the table holds any.</summary>
    public string AnyRowSql { get; }

    /// <summary>Counts the table's rows.</summary>
    public string CountSql { get; }
}
