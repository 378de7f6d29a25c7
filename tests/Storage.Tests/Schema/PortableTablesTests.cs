using GatewayStorage.Relational;
using StoredKind = GatewayStorage.Relational.ColumnKind;
using SchemaKind = GatewayStorage.Tests.Schema.ColumnKind;

namespace GatewayStorage.Tests.Schema;

/// <summary>The copy's table list against the schema each engine reports: a table or column a migration adds must be copied too.</summary>
public sealed class PortableTablesTests(MigratedSchemas schemas) : IClassFixture<MigratedSchemas>
{
    private static SchemaKind KindOf(StoredKind kind) => kind switch
    {
        StoredKind.Guid => SchemaKind.Uuid,
        StoredKind.Text => SchemaKind.Text,
        StoredKind.Int32 or StoredKind.Int64 => SchemaKind.Integer,
        StoredKind.Boolean => SchemaKind.Boolean,
        StoredKind.Time => SchemaKind.Timestamp,
        StoredKind.Json => SchemaKind.Json,
        StoredKind.Bytes => SchemaKind.Bytes,
        _ => SchemaKind.Unknown,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void The_copy_covers_every_table_and_column_with_its_kind_nullability_and_primary_key(string engine)
    {
        var schema = schemas.Of(engine);

        Assert.Equal(
            schema.Tables.Keys.Where(t => t != "schema_migrations").Order(StringComparer.Ordinal),
            PortableTables.All.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var table in PortableTables.All)
        {
            var stored = schema.Tables[table.Name];
            Assert.Equal(stored.Columns.Select(c => (c.Name, c.IsNullable, c.Kind)), table.Columns.Select(c => (c.Name, c.Nullable, KindOf(c.Kind))));
            Assert.Equal(stored.PrimaryKey, table.Key);
        }
    }

    [Fact]
    public void PostgreSQL_integer_columns_are_loaded_with_their_exact_width()
    {
        foreach (var table in PortableTables.All)
        {
            var stored = schemas.Postgres.Tables[table.Name];
            foreach (var column in table.Columns.Where(c => c.Kind is StoredKind.Int32 or StoredKind.Int64))
            {
                var expected = column.Kind == StoredKind.Int32 ? "integer" : "bigint";
                Assert.Equal(expected, stored.Columns.Single(c => c.Name == column.Name).EngineType);
            }
        }
    }

    [Fact]
    public void Every_table_comes_after_the_tables_it_references()
    {
        var order = PortableTables.All.Select(t => t.Name).ToList();
        foreach (var table in schemas.Sqlite.Tables.Values.Where(t => order.Contains(t.Name)))
        {
            Assert.All(table.ForeignKeys, fk => Assert.True(
                order.IndexOf(fk.ReferencedTable) < order.IndexOf(table.Name), $"{table.Name} references {fk.ReferencedTable}, copied later"));
        }
    }
}
