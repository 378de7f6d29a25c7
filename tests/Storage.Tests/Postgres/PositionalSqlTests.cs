using System.Reflection;
using GatewayStorage.Postgres;
using GatewayStorage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Tests.Postgres;

public sealed class PositionalSqlTests
{
    [Fact]
    public void For_numbers_placeholders_in_order_of_first_appearance_and_reuses_the_number_of_a_repeated_name()
    {
        var positional = PositionalSql.For("UPDATE t SET a = @a, b = @B, updated_at = @now WHERE id = @id AND created_at < @NOW AND b <> @b");

        Assert.NotNull(positional);
        Assert.Equal("UPDATE t SET a = $1, b = $2, updated_at = $3 WHERE id = $4 AND created_at < $3 AND b <> $2", positional.Text);
        Assert.Equal(["a", "B", "now", "id"], positional.Names);
    }

    [Fact]
    public void For_leaves_at_signs_in_literals_quoted_identifiers_comments_and_operators_alone()
    {
        var positional = PositionalSql.For(
            "SELECT '@not', \"@col\", x LIKE @pattern ESCAPE '\\', @ -1, 'it''s @x' -- @comment\n/* @block */ FROM t WHERE c = @c::uuid");

        Assert.NotNull(positional);
        Assert.Equal(
            "SELECT '@not', \"@col\", x LIKE $1 ESCAPE '\\', @ -1, 'it''s @x' -- @comment\n/* @block */ FROM t WHERE c = $2::uuid",
            positional.Text);
        Assert.Equal(["pattern", "c"], positional.Names);
    }

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT 1; SELECT @a")]
    [InlineData("SELECT $1, @a")]
    [InlineData("DO $$ BEGIN PERFORM @a; END $$")]
    [InlineData("SELECT E'\\'', @a")]
    [InlineData("SELECT 'unterminated @a")]
    [InlineData("SELECT /* /* nested */ */ @a")]
    public void For_returns_null_for_sql_without_placeholders_or_with_what_it_leaves_to_Npgsql(string sql)
    {
        Assert.Null(PositionalSql.For(sql));
    }

    [Fact]
    public void Apply_puts_parameters_bound_in_any_order_into_placeholder_order_and_clears_their_names()
    {
        using var command = new NpgsqlCommand("SELECT * FROM t WHERE id = @id AND version = @version AND name = @name");
        var name = new NpgsqlParameter<string>("name", NpgsqlDbType.Text) { TypedValue = "n" };
        var id = new NpgsqlParameter<Guid>("id", NpgsqlDbType.Uuid) { TypedValue = Guid.NewGuid() };
        var version = new NpgsqlParameter<long>("VERSION", NpgsqlDbType.Bigint) { TypedValue = 3 };
        command.Parameters.Add(name);
        command.Parameters.Add(id);
        command.Parameters.Add(version);

        PositionalSql.Apply(command);

        Assert.Equal("SELECT * FROM t WHERE id = $1 AND version = $2 AND name = $3", command.CommandText);
        Assert.Equal<NpgsqlParameter>([id, version, name], command.Parameters);
        Assert.All(command.Parameters, parameter => Assert.Equal(string.Empty, parameter.ParameterName));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("id", "version", "extra")]
    [InlineData("id", "id")]
    [InlineData("id", "other")]
    public void Apply_leaves_a_command_whose_parameters_are_not_exactly_its_placeholders_in_named_form(params string[] bound)
    {
        const string sql = "SELECT * FROM t WHERE id = @id AND version = @version";
        using var command = new NpgsqlCommand(sql);
        foreach (var name in bound)
        {
            command.Parameters.Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = 1 });
        }

        PositionalSql.Apply(command);

        Assert.Equal(sql, command.CommandText);
        Assert.Equal(bound, command.Parameters.Select(parameter => parameter.ParameterName));
    }

    [Fact]
    public void Every_statement_of_the_library_with_placeholders_is_rewritten()
    {
        var statements = typeof(UserSql).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(UserSql).Namespace && type.Name.EndsWith("Sql", StringComparison.Ordinal))
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (Name: $"{field.DeclaringType!.Name}.{field.Name}", Sql: (string)field.GetRawConstantValue()!))
            .Where(statement => statement.Sql.Contains('@', StringComparison.Ordinal) && statement.Sql.Contains(' ', StringComparison.Ordinal))
            .ToList();

        Assert.True(statements.Count >= 40, $"only {statements.Count} statements found");
        Assert.All(statements, statement => Assert.True(PositionalSql.For(statement.Sql) is not null, statement.Name));
    }
}
