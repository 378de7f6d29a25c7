using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using GatewayStorage.Relational;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Sqlite;

/// <summary>
/// SQLite's type mapping: GUIDs as lower-case text (sorts like PostgreSQL's uuid), times as integer microseconds
/// since the Unix epoch (UTC), booleans as 0/1, JSON and text lists as JSON text.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintForeignKey = 787;

    public static SqliteDialect Instance { get; } = new();

    public override string BackendName => "sqlite";

    /// <inheritdoc />
    public override string TelemetrySystemName => "sqlite";

    public override string EngineVersionSql => "SELECT sqlite_version()";

    public override string CreateMigrationsTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)";

    public override string MigrationsTableExistsSql =>
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    public override string CurrentTimestampSql => "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)";

    public override string TextListSource(string parameterName) => $"SELECT value FROM json_each({parameterName})";

    public override void AddGuid(DbCommand command, string name, Guid value) =>
        Add(command, name, SqliteType.Text, value.ToString("D"));

    public override void AddNullableGuid(DbCommand command, string name, Guid? value) =>
        Add(command, name, SqliteType.Text, value?.ToString("D"));

    public override void AddText(DbCommand command, string name, string? value) => Add(command, name, SqliteType.Text, value);

    public override void AddInt64(DbCommand command, string name, long value) => Add(command, name, SqliteType.Integer, value);

    public override void AddInt32(DbCommand command, string name, int value) => Add(command, name, SqliteType.Integer, value);

    public override void AddBoolean(DbCommand command, string name, bool value) => Add(command, name, SqliteType.Integer, value ? 1L : 0L);

    public override void AddNullableBoolean(DbCommand command, string name, bool? value) =>
        Add(command, name, SqliteType.Integer, value is { } v ? (v ? 1L : 0L) : null);

    public override void AddTimestamp(DbCommand command, string name, DateTimeOffset? value) =>
        Add(command, name, SqliteType.Integer, value is { } v ? ToMicroseconds(v) : null);

    public override void AddJson(DbCommand command, string name, string? json) => Add(command, name, SqliteType.Text, json);

    public override void AddTextList(DbCommand command, string name, IReadOnlyList<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        Add(command, name, SqliteType.Text, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public override void AddBytes(DbCommand command, string name, byte[]? value) => Add(command, name, SqliteType.Blob, value);

    public override DbCommand CreateCommand(DbConnection connection, string sql) => ((CachingSqliteConnection)connection).GetCommand(sql);

    public override ValueTask ReleaseCommandAsync(DbCommand command)
    {
        CachingSqliteConnection.Release((SqliteCommand)command);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Deferred, so that reading takes no write lock: in WAL mode the first read fixes the snapshot.</remarks>
    public override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
    }

    public override Guid ReadGuid(DbDataReader reader, int ordinal) => Guid.ParseExact(reader.GetString(ordinal), "D");

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (reader.GetInt64(ordinal) * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    public override bool ReadBoolean(DbDataReader reader, int ordinal) => reader.GetInt64(ordinal) != 0;

    public override EngineError Classify(Exception exception)
    {
        if (exception is not SqliteException sqlite)
        {
            return EngineError.NotAnEngineError;
        }

        var code = "SQLITE_" + sqlite.SqliteExtendedErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return sqlite.SqliteErrorCode switch
        {
            SqliteConstraint when sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey =>
                new EngineError(EngineErrorKind.UniqueViolation, ConstrainedColumns(sqlite.Message), code),
            SqliteConstraint when sqlite.SqliteExtendedErrorCode == SqliteConstraintForeignKey =>
                new EngineError(EngineErrorKind.ForeignKeyViolation, null, code),

            // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_IOERR: the database cannot serve now.
            5 or 6 or 14 or 10 => new EngineError(EngineErrorKind.Unavailable, null, code),

            // SQLITE_FULL: retrying does not free the disk.
            13 => new EngineError(EngineErrorKind.Other, null, code, "the disk holding the database is full (or the database reached its size limit)"),
            _ => new EngineError(EngineErrorKind.Other, null, code),
        };
    }

    public override Task LockForMigrationAsync(DbSession session, CancellationToken cancellationToken) =>

        // The migration transaction began with BEGIN IMMEDIATE: it already holds the database's write lock.
        Task.CompletedTask;

    internal static long ToMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>Reads <c>table.column, …</c> out of "UNIQUE constraint failed: users.normalized_email".</summary>
    private static string? ConstrainedColumns(string message)
    {
        const string marker = "constraint failed: ";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = message.IndexOf('\'', start);
        return (end < 0 ? message[start..] : message[start..end]).Trim();
    }

    /// <summary>
    /// Sets a parameter of a command that may be a cached, prepared one: its parameters from the last use are reused
    /// (every statement binds all of its parameters on every use), so a point read allocates no new parameter objects.
    /// </summary>
    private static void Add(DbCommand command, string name, SqliteType type, object? value)
    {
        var parameters = ((SqliteCommand)command).Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            // Named as in the SQL text, '@' included: Microsoft.Data.Sqlite binds such a name as it is.
            if (parameter.ParameterName.AsSpan(1).SequenceEqual(name))
            {
                parameter.SqliteType = type;
                parameter.Value = value ?? DBNull.Value;
                return;
            }
        }

        parameters.Add(new SqliteParameter("@" + name, type) { Value = value ?? DBNull.Value });
    }
}
