namespace GatewayStorage.Tests.Schema;

/// <summary>The kind of a column's type, the same on both engines (SQLite declares the kind by name).</summary>
public enum ColumnKind
{
    /// <summary>A type the mapping does not know: always reported as a difference.</summary>
    Unknown,
    Uuid,
    Text,
    Integer,
    Boolean,
    Timestamp,
    Json,
    Bytes,
}

/// <summary>One column as the engine reports it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="IsNullable">Whether the engine accepts NULL in it.</param>
/// <param name="Kind">The kind of its type.</param>
/// <param name="EngineType">The type as the engine spells it, for messages.</param>
public sealed record ColumnModel(string Name, bool IsNullable, ColumnKind Kind, string EngineType);

/// <summary>An index or unique constraint: its key columns and whether it covers only some rows.</summary>
public sealed record IndexModel(IReadOnlyList<string> Columns, bool IsPartial)
{
    /// <summary>The same columns in name order: unique constraints compare as column sets.</summary>
    public IndexModel AsSet() => this with { Columns = [.. Columns.Order(StringComparer.Ordinal)] };

    public override string ToString() => $"({string.Join(", ", Columns)}){(IsPartial ? " WHERE …" : "")}";
}

/// <summary>A foreign key: columns, the referenced table and columns, and its ON DELETE and ON UPDATE rules.</summary>
public sealed record ForeignKeyModel(
    IReadOnlyList<string> Columns,
    string ReferencedTable,
    IReadOnlyList<string> ReferencedColumns,
    string OnDelete,
    string OnUpdate)
{
    /// <summary>What the key connects, without its rules: the identity two engines' keys are matched by.</summary>
    public string Target => $"({string.Join(", ", Columns)}) -> {ReferencedTable} ({string.Join(", ", ReferencedColumns)})";

    public override string ToString() => $"{Target} ON DELETE {OnDelete} ON UPDATE {OnUpdate}";
}

/// <summary>One table: columns, primary key, unique keys (primary key included), other indexes, foreign keys.</summary>
public sealed class TableModel(string name)
{
    public string Name { get; } = name;

    public List<ColumnModel> Columns { get; } = [];

    /// <summary>The primary key's columns in key order; empty when the table has none.</summary>
    public List<string> PrimaryKey { get; } = [];

    /// <summary>Every unique constraint or unique index, the primary key included, as column sets.</summary>
    public List<IndexModel> UniqueKeys { get; } = [];

    /// <summary>Every index that is not unique, with its columns in index order.</summary>
    public List<IndexModel> Indexes { get; } = [];

    public List<ForeignKeyModel> ForeignKeys { get; } = [];
}

/// <summary>A schema read back from one engine, in terms both engines share.</summary>
public sealed class SchemaModel(string engine)
{
    /// <summary>The engine it was read from: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Engine { get; } = engine;

    public SortedDictionary<string, TableModel> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>The table of that name, added when it is not there yet.</summary>
    public TableModel Table(string name)
    {
        if (!Tables.TryGetValue(name, out var table))
        {
            table = new TableModel(name);
            Tables.Add(name, table);
        }

        return table;
    }
}

/// <summary>Lists every difference between two schema models, one readable line each.</summary>
public static class SchemaComparer
{
    public static IReadOnlyList<string> Compare(SchemaModel left, SchemaModel right)
    {
        var (l, r) = (left.Engine, right.Engine);
        var differences = new List<string>();
        foreach (var name in left.Tables.Keys.Union(right.Tables.Keys).Order(StringComparer.Ordinal))
        {
            var inLeft = left.Tables.TryGetValue(name, out var a);
            var inRight = right.Tables.TryGetValue(name, out var b);
            if (!inLeft || !inRight)
            {
                differences.Add($"table {name}: only on {(inLeft ? l : r)}");
                continue;
            }

            CompareColumns(a!, b!, l, r, differences);

            if (!a!.PrimaryKey.SequenceEqual(b!.PrimaryKey))
            {
                differences.Add($"{name}: primary key {Columns(a.PrimaryKey)} on {l}, {Columns(b.PrimaryKey)} on {r}");
            }

            CompareBags(name, "unique", a.UniqueKeys.Select(k => k.AsSet().ToString()), b.UniqueKeys.Select(k => k.AsSet().ToString()), l, r, differences);
            CompareBags(name, "index", a.Indexes.Select(i => i.ToString()), b.Indexes.Select(i => i.ToString()), l, r, differences);
            CompareForeignKeys(a, b, l, r, differences);
        }

        return differences;
    }

    /// <summary>The differences as a failure message: one line each, or a line saying there are none.</summary>
    public static string Describe(IReadOnlyList<string> differences) =>
        differences.Count == 0
            ? "The schemas match."
            : $"{differences.Count} schema difference(s):\n  " + string.Join("\n  ", differences);

    private static void CompareColumns(TableModel a, TableModel b, string l, string r, List<string> differences)
    {
        var right = b.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var left = a.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var column in a.Columns.Concat(b.Columns.Where(c => !left.ContainsKey(c.Name))))
        {
            var where = $"{a.Name}.{column.Name}";
            var inLeft = left.TryGetValue(column.Name, out var x);
            var inRight = right.TryGetValue(column.Name, out var y);
            if (!inLeft || !inRight)
            {
                differences.Add($"{where}: only on {(inLeft ? l : r)}");
                continue;
            }

            if (x!.IsNullable != y!.IsNullable)
            {
                differences.Add($"{where}: {Nullability(x)} on {l}, {Nullability(y)} on {r}");
            }

            if (x.Kind == ColumnKind.Unknown || y.Kind == ColumnKind.Unknown)
            {
                foreach (var (c, engine) in new[] { (x, l), (y, r) }.Where(p => p.Item1.Kind == ColumnKind.Unknown))
                {
                    differences.Add($"{where}: type '{c.EngineType}' on {engine} has no known kind (extend the reader's type mapping)");
                }
            }
            else if (x.Kind != y.Kind)
            {
                differences.Add($"{where}: {Kind(x)} ({x.EngineType}) on {l}, {Kind(y)} ({y.EngineType}) on {r}");
            }
        }
    }

    private static void CompareBags(string table, string what, IEnumerable<string> left, IEnumerable<string> right, string l, string r, List<string> differences)
    {
        var remaining = right.ToList();
        var onlyLeft = new List<string>();
        foreach (var item in left)
        {
            if (!remaining.Remove(item))
            {
                onlyLeft.Add(item);
            }
        }

        differences.AddRange(onlyLeft.Order(StringComparer.Ordinal).Select(i => $"{table}: {what} {i} only on {l}"));
        differences.AddRange(remaining.Order(StringComparer.Ordinal).Select(i => $"{table}: {what} {i} only on {r}"));
    }

    private static void CompareForeignKeys(TableModel a, TableModel b, string l, string r, List<string> differences)
    {
        var remaining = b.ForeignKeys.ToList();
        foreach (var key in a.ForeignKeys)
        {
            var match = remaining.Find(k => k.Target == key.Target);
            if (match is null)
            {
                differences.Add($"{a.Name}: foreign key {key} only on {l}");
                continue;
            }

            remaining.Remove(match);
            if (match.OnDelete != key.OnDelete)
            {
                differences.Add($"{a.Name}: foreign key {key.Target}: ON DELETE {key.OnDelete} on {l}, ON DELETE {match.OnDelete} on {r}");
            }

            if (match.OnUpdate != key.OnUpdate)
            {
                differences.Add($"{a.Name}: foreign key {key.Target}: ON UPDATE {key.OnUpdate} on {l}, ON UPDATE {match.OnUpdate} on {r}");
            }
        }

        differences.AddRange(remaining.Select(k => $"{a.Name}: foreign key {k} only on {r}"));
    }

    private static string Columns(IReadOnlyList<string> columns) => columns.Count == 0 ? "(none)" : $"({string.Join(", ", columns)})";

    private static string Nullability(ColumnModel column) => column.IsNullable ? "nullable" : "not null";

    private static string Kind(ColumnModel column) => column.Kind.ToString().ToLowerInvariant();
}
