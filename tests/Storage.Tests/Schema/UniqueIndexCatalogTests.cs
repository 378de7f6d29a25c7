using System.Data.Common;
using GatewayStorage.Relational;
using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.Schema;

/// <summary>
/// Ties the hand-kept <see cref="UniqueIndexCatalog"/> to the migrated schemas: every unique index or key either
/// engine reports must be named by it, or a duplicate on it would be reported as "entity"/"key".
/// </summary>
public sealed class UniqueIndexCatalogTests : IAsyncLifetime
{
    // Key columns in index order, with the index name (PostgreSQL reports duplicates by index name).
    private const string PostgresUniqueIndexesSql = """
        SELECT t.relname::text, c.relname::text,
               ARRAY(SELECT a.attname::text
                     FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts
                     ORDER BY k.ord)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indisunique AND t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r'
        ORDER BY 1, 2
        """;

    private readonly SqliteFixture _sqlite = new();
    private readonly PostgresFixture _postgres = new();

    public async Task InitializeAsync() => await Task.WhenAll(_sqlite.InitializeAsync(), _postgres.InitializeAsync());

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Every_unique_key_sqlite_reports_is_named_by_the_catalog()
    {
        SchemaModel schema;
        await using (var connection = await _sqlite.OpenRawConnectionAsync(_sqlite.Url))
        {
            schema = await SqliteSchemaReader.ReadAsync(connection);
        }

        // SQLite reports a duplicate as "table.column, table.column" in key order.
        var keys = schema.Tables.Values
            .SelectMany(t => t.UniqueKeys.Select(k => string.Join(", ", k.Columns.Select(c => t.Name + "." + c))))
            .ToList();
        var missing = keys.Where(k => !UniqueIndexCatalog.TryDescribe(k, out _)).ToList();

        Assert.NotEmpty(keys);
        Assert.True(missing.Count == 0, "UniqueIndexCatalog misses these SQLite unique keys: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Every_unique_index_postgres_reports_is_named_by_the_catalog_as_sqlite_names_the_same_key()
    {
        var indexes = new List<(string Table, string Index, string[] Columns)>();
        await using (var connection = await _postgres.OpenRawConnectionAsync(_postgres.Url))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = PostgresUniqueIndexesSql;
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
            }
        }

        Assert.NotEmpty(indexes);
        var problems = new List<string>();
        foreach (var (table, index, columns) in indexes)
        {
            if (!UniqueIndexCatalog.TryDescribe(index, out var byName))
            {
                problems.Add($"{index} on {table} ({string.Join(", ", columns)}) is missing");
                continue;
            }

            // The same key must read the same on both engines.
            var qualified = string.Join(", ", columns.Select(c => table + "." + c));
            if (!UniqueIndexCatalog.TryDescribe(qualified, out var byColumns) || byColumns != byName)
            {
                problems.Add($"{index} names {byName}, but SQLite's '{qualified}' names {(byColumns == default ? "nothing" : byColumns)}");
            }
        }

        Assert.True(problems.Count == 0, "UniqueIndexCatalog and the PostgreSQL schema disagree: " + string.Join("; ", problems));
    }
}
