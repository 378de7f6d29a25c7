using System.Data;
using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>
/// What differs between the engines, and nothing else: how values are bound and read, a few SQL fragments,
/// how engine errors are classified, and how migrations lock. Everything else (rules, statements, paging)
/// lives once in the relational layer.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The engine's OpenTelemetry <c>db.system.name</c>: <c>sqlite</c>, <c>postgresql</c>.</summary>
    public abstract string TelemetrySystemName { get; }

    /// <summary>What spans and metrics say about the database behind <paramref name="dataSource"/>; never a credential.</summary>
    public virtual TelemetryTarget DescribeForTelemetry(DbDataSource dataSource) => new(TelemetrySystemName);

    /// <summary>The backend's name: <c>sqlite</c> or <c>postgres</c>.</summary>
    public abstract string BackendName { get; }

    /// <summary>The query that returns the engine's version as text.</summary>
    public abstract string EngineVersionSql { get; }

    /// <summary>The DDL of the <c>schema_migrations</c> table (idempotent).</summary>
    public abstract string CreateMigrationsTableSql { get; }

    /// <summary>The query that counts the <c>schema_migrations</c> tables in the current schema (0 or 1).</summary>
    public abstract string MigrationsTableExistsSql { get; }

    /// <summary>An SQL expression of the current time in the engine's timestamp storage form.</summary>
    public abstract string CurrentTimestampSql { get; }

    /// <summary>A row source with one <c>value</c> column per element of a text-list parameter.</summary>
    public abstract string TextListSource(string parameterName);

    public abstract void AddGuid(DbCommand command, string name, Guid value);

    public abstract void AddNullableGuid(DbCommand command, string name, Guid? value);

    public abstract void AddText(DbCommand command, string name, string? value);

    public abstract void AddInt64(DbCommand command, string name, long value);

    public abstract void AddInt32(DbCommand command, string name, int value);

    public abstract void AddBoolean(DbCommand command, string name, bool value);

    public abstract void AddNullableBoolean(DbCommand command, string name, bool? value);

    /// <summary>Binds a time already normalised to UTC microseconds (see <see cref="StorageTime"/>).</summary>
    public abstract void AddTimestamp(DbCommand command, string name, DateTimeOffset? value);

    public abstract void AddJson(DbCommand command, string name, string? json);

    public abstract void AddTextList(DbCommand command, string name, IReadOnlyList<string> values);

    public abstract void AddBytes(DbCommand command, string name, byte[]? value);

    /// <summary>
    /// Opens a connection of the data source for one operation. By default <see cref="DbDataSource.OpenConnectionAsync"/>;
    /// PostgreSQL retries the very first connection while the server is starting, when <paramref name="waitForStartup"/> is set.
    /// </summary>
    public virtual ValueTask<DbConnection> OpenConnectionAsync(DbDataSource dataSource, bool waitForStartup, CancellationToken cancellationToken) =>
        dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Gets a command for <paramref name="sql"/> on an open connection, without bound values. By default a new command;
    /// SQLite hands out the command it prepared earlier on the same physical connection.
    /// </summary>
    public virtual DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Takes a command back once it has run. By default it is disposed.</summary>
    public virtual ValueTask ReleaseCommandAsync(DbCommand command) => command.DisposeAsync();

    /// <summary>
    /// Whether an exception means the connection itself is dead (the server restarted or closed it), so that an
    /// idempotent read may run again on a fresh connection. By default <see langword="false"/>.
    /// </summary>
    public virtual bool IsBrokenConnection(Exception exception) => false;

    /// <summary>
    /// Called when <paramref name="connection"/> turned out dead: a dialect drops the other idle connections of its pool,
    /// which died with it. By default nothing happens.
    /// </summary>
    public virtual void OnBrokenConnection(DbDataSource dataSource, DbConnection connection)
    {
    }

    /// <summary>
    /// A statement that only checks the connection is alive, run before a write on a connection that may have died
    /// while idle (see <see cref="StoreContext"/>); <see langword="null"/> (the default) when connections never die idle.
    /// </summary>
    public virtual string? PingSql => null;

    /// <summary>
    /// Creates the loader that writes the raw rows of <paramref name="table"/> into the session's open transaction
    /// (see <see cref="BulkLoader"/>). By default one insert per row, <c>ON CONFLICT DO NOTHING</c> when
    /// <paramref name="skipExisting"/> is set.
    /// </summary>
    public virtual ValueTask<BulkLoader> CreateBulkLoaderAsync(DbSession session, PortableTable table, bool skipExisting, CancellationToken cancellationToken) =>
        ValueTask.FromResult<BulkLoader>(new InsertBulkLoader(session, table, skipExisting));

    /// <summary>
    /// Begins a read-only transaction in which every statement sees the same snapshot of the database, so that a copy
    /// reads all its tables as of one moment. By default <see cref="IsolationLevel.RepeatableRead"/>.
    /// </summary>
    public virtual ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>
    /// Whether <paramref name="connection"/> may have died while it sat idle in the pool (a server restart), so that a
    /// write checks it with <see cref="PingSql"/> first. By default <see langword="false"/>.
    /// </summary>
    public virtual bool MayHaveDiedIdle(DbConnection connection) => false;

    /// <summary>Records that a statement just succeeded on <paramref name="connection"/>. By default nothing happens.</summary>
    public virtual void MarkUsed(DbConnection connection)
    {
    }

    public abstract Guid ReadGuid(DbDataReader reader, int ordinal);

    public abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    public virtual bool ReadBoolean(DbDataReader reader, int ordinal) => reader.GetBoolean(ordinal);

    public virtual string ReadJson(DbDataReader reader, int ordinal) => reader.GetString(ordinal);

    public virtual byte[] ReadBytes(DbDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>Classifies an engine exception; <see cref="EngineErrorKind.None"/> when it is not an engine error.</summary>
    public abstract EngineError Classify(Exception exception);

    /// <summary>Takes the migration lock inside the session's open transaction.</summary>
    public abstract Task LockForMigrationAsync(DbSession session, CancellationToken cancellationToken);
}
