using System.Data.Common;
using System.Net.Sockets;
using GatewayStorage.Relational;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Postgres;

/// <summary>PostgreSQL's type mapping: native uuid, timestamptz, boolean, json and text[]; typed parameters (no boxing).</summary>
internal sealed class PostgresDialect : SqlDialect
{
    // Any fixed number: every GatewayStorage migrator of a database takes the same advisory lock.
    private const long MigrationLockKey = 0x47617465_53746f72;

    public static PostgresDialect Instance { get; } = new();

    public override string BackendName => "postgres";

    public override string EngineVersionSql => "SHOW server_version";

    public override string CreateMigrationsTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)";

    public override string MigrationsTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";

    public override string CurrentTimestampSql => "now()";

    public override string TextListSource(string parameterName) => $"SELECT unnest({parameterName}) AS value";

    public override void AddGuid(DbCommand command, string name, Guid value) =>
        Parameters(command).Add(new NpgsqlParameter<Guid>(name, NpgsqlDbType.Uuid) { TypedValue = value });

    public override void AddNullableGuid(DbCommand command, string name, Guid? value) =>
        AddNullable(command, name, NpgsqlDbType.Uuid, value);

    public override void AddText(DbCommand command, string name, string? value) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    public override void AddInt64(DbCommand command, string name, long value) =>
        Parameters(command).Add(new NpgsqlParameter<long>(name, NpgsqlDbType.Bigint) { TypedValue = value });

    public override void AddInt32(DbCommand command, string name, int value) =>
        Parameters(command).Add(new NpgsqlParameter<int>(name, NpgsqlDbType.Integer) { TypedValue = value });

    public override void AddBoolean(DbCommand command, string name, bool value) =>
        Parameters(command).Add(new NpgsqlParameter<bool>(name, NpgsqlDbType.Boolean) { TypedValue = value });

    public override void AddNullableBoolean(DbCommand command, string name, bool? value) =>
        AddNullable(command, name, NpgsqlDbType.Boolean, value);

    public override void AddTimestamp(DbCommand command, string name, DateTimeOffset? value) =>
        AddNullable(command, name, NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    // json, not jsonb: json keeps the canonical text the library wrote, so both engines return the same text.
    public override void AddJson(DbCommand command, string name, string? json) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Json) { Value = (object?)json ?? DBNull.Value });

    public override void AddTextList(DbCommand command, string name, IReadOnlyList<string> values) =>
        Parameters(command).Add(new NpgsqlParameter<string[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. values] });

    public override void AddBytes(DbCommand command, string name, byte[]? value) =>
        Parameters(command).Add(new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = (object?)value ?? DBNull.Value });

    public override void CompleteBinding(DbCommand command) => PositionalSql.Apply((NpgsqlCommand)command);

    public override Guid ReadGuid(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override EngineError Classify(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => new EngineError(EngineErrorKind.UniqueViolation, pg.ConstraintName, pg.SqlState),
            PostgresErrorCodes.ForeignKeyViolation => new EngineError(EngineErrorKind.ForeignKeyViolation, pg.ConstraintName, pg.SqlState),

            // Connection exceptions (08…), too many connections, server shutting down, cannot connect now.
            var state when state.StartsWith("08", StringComparison.Ordinal) || state is "53300" or "57P01" or "57P02" or "57P03" =>
                new EngineError(EngineErrorKind.Unavailable, null, pg.SqlState),
            _ => new EngineError(EngineErrorKind.Other, null, pg.SqlState),
        },
        NpgsqlException => new EngineError(EngineErrorKind.Unavailable, null, "connection"),
        SocketException or TimeoutException => new EngineError(EngineErrorKind.Unavailable, null, "connection"),
        _ => EngineError.NotAnEngineError,
    };

    public override async Task LockForMigrationAsync(DbSession session, CancellationToken cancellationToken) =>
        await session.Sql("SELECT pg_advisory_xact_lock(@key)").Int64("key", MigrationLockKey)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);

    private static NpgsqlParameterCollection Parameters(DbCommand command) => ((NpgsqlCommand)command).Parameters;

    private static void AddNullable<T>(DbCommand command, string name, NpgsqlDbType type, T? value)
        where T : struct =>
        Parameters(command).Add(new NpgsqlParameter(name, type) { Value = value is { } v ? v : DBNull.Value });
}
