namespace GatewayStorage.Relational;

/// <summary>
/// A column that holds values encrypted under the key ring, bound to their row by a <see cref="Security.SecretContext"/>
/// of this table, row id and column. Each store declares its own; key rotation walks them all.
/// </summary>
/// <remarks>
/// The statements are built once from the store's constant table and column names, never from input: a batch of
/// values not under the newest key (keyset by id), and a compare-and-set update that leaves a value a concurrent
/// write replaced alone.
/// </remarks>
internal sealed class EncryptedColumn
{
    public EncryptedColumn(string table, string column)
    {
        Table = table;
        Column = column;
        var notUnderNewestKey = $"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND substr({column}, 1, @prefix_length) <> @prefix";
        SelectFirst = $"{notUnderNewestKey} ORDER BY id LIMIT @limit";
        SelectAfter = $"{notUnderNewestKey} AND id > @after ORDER BY id LIMIT @limit";
        Update = $"UPDATE {table} SET {column} = @rotated WHERE id = @id AND {column} = @stored";
    }

    public string Table { get; }

    public string Column { get; }

    /// <summary>The first batch of values not under the newest key: <c>@prefix</c>, <c>@prefix_length</c>, <c>@limit</c>.</summary>
    public string SelectFirst { get; }

    /// <summary>The next batch, after id <c>@after</c>.</summary>
    public string SelectAfter { get; }

    /// <summary>Replaces <c>@stored</c> by <c>@rotated</c> in row <c>@id</c>, only if the row still holds <c>@stored</c>.</summary>
    public string Update { get; }
}
