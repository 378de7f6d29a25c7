using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.Schema;

/// <summary>A freshly migrated database on each engine, and its schema as each engine reports it.</summary>
public sealed class MigratedSchemas : IAsyncLifetime
{
    private readonly SqliteFixture _sqlite = new();
    private readonly PostgresFixture _postgres = new();

    public SchemaModel Sqlite { get; private set; } = null!;

    public SchemaModel Postgres { get; private set; } = null!;

    public SchemaModel Of(string engine) => engine switch
    {
        "sqlite" => Sqlite,
        "postgres" => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    public async Task InitializeAsync()
    {
        // Each fixture creates a fresh database and migrates it through the provider.
        await Task.WhenAll(_sqlite.InitializeAsync(), _postgres.InitializeAsync());
        await using (var connection = await _sqlite.OpenRawConnectionAsync(_sqlite.Url))
        {
            Sqlite = await SqliteSchemaReader.ReadAsync(connection);
        }

        await using (var connection = await _postgres.OpenRawConnectionAsync(_postgres.Url))
        {
            Postgres = await PostgresSchemaReader.ReadAsync(connection);
        }
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

public sealed class SchemaParityTests(MigratedSchemas schemas) : IClassFixture<MigratedSchemas>
{
    [Fact]
    public void Both_engines_report_the_same_tables_and_the_list_is_not_empty()
    {
        var sqlite = schemas.Sqlite.Tables.Keys.ToList();
        var postgres = schemas.Postgres.Tables.Keys.ToList();

        Assert.NotEmpty(sqlite);
        Assert.Contains("schema_migrations", sqlite);
        Assert.Contains("users", sqlite);
        Assert.Equal(sqlite, postgres);
    }

    [Fact]
    public void The_migrated_sqlite_and_postgres_schemas_match_table_by_table_and_column_by_column()
    {
        var differences = SchemaComparer.Compare(schemas.Sqlite, schemas.Postgres);

        Assert.True(differences.Count == 0, SchemaComparer.Describe(differences));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Each_reader_sees_the_columns_keys_indexes_and_foreign_keys_the_scripts_declare(string engine)
    {
        // Guards the parity test against two readers that both see nothing.
        var schema = schemas.Of(engine);

        var migrations = schema.Tables["schema_migrations"];
        Assert.Equal(["version", "name", "checksum", "applied_at"], migrations.Columns.Select(c => c.Name));
        Assert.Equal(
            [ColumnKind.Integer, ColumnKind.Text, ColumnKind.Text, ColumnKind.Timestamp],
            migrations.Columns.Select(c => c.Kind));
        Assert.Equal(["version"], migrations.PrimaryKey);

        var users = schema.Tables["users"];
        var displayName = Assert.Single(users.Columns, c => c.Name == "display_name");
        Assert.True(displayName.IsNullable);
        Assert.Equal(ColumnKind.Text, displayName.Kind);
        var id = Assert.Single(users.Columns, c => c.Name == "id");
        Assert.False(id.IsNullable);
        Assert.Equal(ColumnKind.Uuid, id.Kind);
        Assert.Equal(ColumnKind.Boolean, Assert.Single(users.Columns, c => c.Name == "is_active").Kind);
        Assert.Equal(ColumnKind.Json, Assert.Single(schema.Tables["config_entries"].Columns, c => c.Name == "value").Kind);
        Assert.Equal(["id"], users.PrimaryKey);
        Assert.Equal(["(id)", "(normalized_email)"], users.UniqueKeys.Select(k => k.AsSet().ToString()).Order(StringComparer.Ordinal));

        var userRoles = schema.Tables["user_roles"];
        Assert.Equal(["user_id", "role_id"], userRoles.PrimaryKey);
        Assert.Equal(["(role_id, user_id)"], userRoles.Indexes.Select(i => i.ToString()));
        Assert.Equal(
            ["(role_id) -> roles (id) ON DELETE CASCADE ON UPDATE NO ACTION", "(user_id) -> users (id) ON DELETE CASCADE ON UPDATE NO ACTION"],
            userRoles.ForeignKeys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_comparer_names_a_missing_column_a_nullability_change_a_missing_unique_index_and_a_different_on_delete_rule()
    {
        var sqlite = Sample("sqlite");
        var postgres = Sample("postgres");
        var users = postgres.Tables["users"];
        users.Columns.RemoveAll(c => c.Name == "last_login_at");
        users.Columns[users.Columns.FindIndex(c => c.Name == "display_name")] = new ColumnModel("display_name", false, ColumnKind.Text, "text");
        users.UniqueKeys.RemoveAll(k => k.Columns.SequenceEqual(["normalized_email"]));
        var userRoles = postgres.Tables["user_roles"];
        userRoles.ForeignKeys[0] = userRoles.ForeignKeys[0] with { OnDelete = "NO ACTION" };

        var differences = SchemaComparer.Compare(sqlite, postgres);

        Assert.Empty(SchemaComparer.Compare(sqlite, Sample("postgres")));
        Assert.Equal(
            [
                "user_roles: foreign key (user_id) -> users (id): ON DELETE CASCADE on sqlite, ON DELETE NO ACTION on postgres",
                "users.display_name: nullable on sqlite, not null on postgres",
                "users.last_login_at: only on sqlite",
                "users: unique (normalized_email) only on sqlite",
            ],
            differences);
        Assert.Contains("users.display_name: nullable on sqlite, not null on postgres", SchemaComparer.Describe(differences), StringComparison.Ordinal);
    }

    [Fact]
    public void The_comparer_names_a_missing_table_a_type_change_an_unknown_type_a_primary_key_change_and_missing_indexes_and_keys()
    {
        var sqlite = Sample("sqlite");
        var postgres = Sample("postgres");
        postgres.Tables.Remove("schema_migrations");
        var users = postgres.Tables["users"];
        users.Columns[users.Columns.FindIndex(c => c.Name == "version")] = new ColumnModel("version", false, ColumnKind.Text, "text");
        users.Columns[users.Columns.FindIndex(c => c.Name == "created_at")] = new ColumnModel("created_at", false, ColumnKind.Unknown, "timestamp without time zone");
        users.Columns.Add(new ColumnModel("nickname", true, ColumnKind.Text, "text"));
        var userRoles = postgres.Tables["user_roles"];
        userRoles.PrimaryKey.Reverse();
        userRoles.Indexes.Clear();
        userRoles.ForeignKeys.RemoveAt(1);

        var differences = SchemaComparer.Compare(sqlite, postgres);

        Assert.Equal(
            [
                "table schema_migrations: only on sqlite",
                "user_roles: primary key (user_id, role_id) on sqlite, (role_id, user_id) on postgres",
                "user_roles: index (role_id, user_id) only on sqlite",
                "user_roles: foreign key (role_id) -> roles (id) ON DELETE CASCADE ON UPDATE NO ACTION only on sqlite",
                "users.created_at: type 'timestamp without time zone' on postgres has no known kind (extend the reader's type mapping)",
                "users.version: integer (INTEGER) on sqlite, text (text) on postgres",
                "users.nickname: only on postgres",
            ],
            differences);
    }

    [Theory]
    [InlineData("UUID", ColumnKind.Uuid)]
    [InlineData("TEXT", ColumnKind.Text)]
    [InlineData("INTEGER", ColumnKind.Integer)]
    [InlineData("BOOLEAN", ColumnKind.Boolean)]
    [InlineData("TIMESTAMP", ColumnKind.Timestamp)]
    [InlineData("JSON_TEXT", ColumnKind.Json)]
    [InlineData("BLOB", ColumnKind.Bytes)]
    [InlineData("VARCHAR(20)", ColumnKind.Unknown)]
    [InlineData("", ColumnKind.Unknown)]
    public void Sqlite_declared_types_map_to_their_kind_and_anything_else_is_unknown(string declared, ColumnKind expected) =>
        Assert.Equal(expected, SqliteSchemaReader.KindOf(declared));

    [Theory]
    [InlineData("uuid", ColumnKind.Uuid)]
    [InlineData("text", ColumnKind.Text)]
    [InlineData("character varying", ColumnKind.Text)]
    [InlineData("bigint", ColumnKind.Integer)]
    [InlineData("integer", ColumnKind.Integer)]
    [InlineData("smallint", ColumnKind.Integer)]
    [InlineData("boolean", ColumnKind.Boolean)]
    [InlineData("timestamp with time zone", ColumnKind.Timestamp)]
    [InlineData("timestamp without time zone", ColumnKind.Unknown)]
    [InlineData("jsonb", ColumnKind.Json)]
    [InlineData("json", ColumnKind.Json)]
    [InlineData("bytea", ColumnKind.Bytes)]
    [InlineData("ARRAY", ColumnKind.Unknown)]
    public void Postgres_data_types_map_to_their_kind_and_anything_else_is_unknown(string dataType, ColumnKind expected) =>
        Assert.Equal(expected, PostgresSchemaReader.KindOf(dataType));

    /// <summary>A small schema, the same for either engine name, for tests of the comparer itself.</summary>
    private static SchemaModel Sample(string engine)
    {
        var schema = new SchemaModel(engine);
        var integer = engine == "sqlite" ? "INTEGER" : "bigint";

        var migrations = schema.Table("schema_migrations");
        migrations.Columns.Add(new ColumnModel("version", false, ColumnKind.Integer, integer));
        migrations.PrimaryKey.Add("version");
        migrations.UniqueKeys.Add(new IndexModel(["version"], false));

        var users = schema.Table("users");
        users.Columns.AddRange(
        [
            new ColumnModel("id", false, ColumnKind.Uuid, "uuid"),
            new ColumnModel("normalized_email", false, ColumnKind.Text, "text"),
            new ColumnModel("display_name", true, ColumnKind.Text, "text"),
            new ColumnModel("created_at", false, ColumnKind.Timestamp, "timestamp"),
            new ColumnModel("last_login_at", true, ColumnKind.Timestamp, "timestamp"),
            new ColumnModel("version", false, ColumnKind.Integer, integer),
        ]);
        users.PrimaryKey.Add("id");
        users.UniqueKeys.Add(new IndexModel(["id"], false));
        users.UniqueKeys.Add(new IndexModel(["normalized_email"], false));

        var userRoles = schema.Table("user_roles");
        userRoles.Columns.Add(new ColumnModel("user_id", false, ColumnKind.Uuid, "uuid"));
        userRoles.Columns.Add(new ColumnModel("role_id", false, ColumnKind.Uuid, "uuid"));
        userRoles.PrimaryKey.AddRange(["user_id", "role_id"]);
        userRoles.UniqueKeys.Add(new IndexModel(["user_id", "role_id"], false));
        userRoles.Indexes.Add(new IndexModel(["role_id", "user_id"], false));
        userRoles.ForeignKeys.Add(new ForeignKeyModel(["user_id"], "users", ["id"], "CASCADE", "NO ACTION"));
        userRoles.ForeignKeys.Add(new ForeignKeyModel(["role_id"], "roles", ["id"], "CASCADE", "NO ACTION"));
        return schema;
    }
}
