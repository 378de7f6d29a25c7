using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// The one implementation of <see cref="IDatabaseProvider"/> behind both backends: the rules, the statements and
/// the paging live here once; the backend supplies a <see cref="SqlDialect"/>, a <see cref="ConnectionSource"/>
/// and its migration scripts. Split into one partial file per domain.
/// </summary>
internal sealed partial class RelationalDatabaseProvider : IDatabaseProvider
{
    private readonly ConnectionSource _connections;
    private readonly StorageSecrets _secrets;
    private readonly MigrationRunner _migrations;
    private readonly GatewayStorageOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _autoMigrate;
    private readonly int _commandTimeoutSeconds;
    private readonly SemaphoreSlim _readyLock = new(1, 1);
    private readonly SequentialIdGenerator _ids = new();
    private volatile bool _ready;
    private int _disposed;

    public RelationalDatabaseProvider(
        SqlDialect dialect,
        ConnectionSource connections,
        IReadOnlyList<MigrationScript> migrations,
        StorageSecrets secrets,
        GatewayStorageOptions options,
        bool autoMigrate,
        TimeProvider time,
        ILogger logger)
    {
        Dialect = dialect;
        _connections = connections;
        _secrets = secrets;
        _options = options;
        _time = time;
        _logger = logger;
        _autoMigrate = autoMigrate;
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _migrations = new MigrationRunner(dialect, migrations, OpenRawAsync, time);
        Statements = new DialectStatements(dialect);
    }

    /// <inheritdoc />
    public string BackendName => Dialect.BackendName;

    internal SqlDialect Dialect { get; }

    private DialectStatements Statements { get; }

    /// <summary>Opens a session for a store operation, migrating or checking the schema on first use.</summary>
    private async ValueTask<DbSession> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_ready)
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }

        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DbSession> OpenRawAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        DbConnection connection;
        try
        {
            connection = await _connections.RentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageException && Dialect.Classify(ex) is { Kind: not EngineErrorKind.None } error)
        {
            // Connection problems classify as unavailable; a missing database or a refused login stays non-transient.
            throw StorageErrors.Translate(Dialect, error, ex);
        }

        return new DbSession(_connections, connection, Dialect, _commandTimeoutSeconds);
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _readyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready)
            {
                return;
            }

            if (_autoMigrate)
            {
                var applied = await _migrations.MigrateAsync(cancellationToken).ConfigureAwait(false);
                if (applied.Count > 0)
                {
                    LogMigrated(_logger, Dialect.BackendName, applied.Count, applied[^1].Version, null);
                }
            }
            else
            {
                await _migrations.EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
            }

            await StoredSecretsCheck.RunAsync(OpenRawAsync, Dialect.BackendName, _secrets.Keys, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _readyLock.Release();
        }
    }

    /// <summary>Runs a write that may violate a foreign key, and names the missing entity when it does.</summary>
    private async Task<T> WithReferencesAsync<T>(Task<T> operation, params (string Entity, string Table, Guid Id)[] references)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (ForeignKeyViolationException ex)
        {
            foreach (var (entity, table, id) in references)
            {
                if (!await ExistsAsync(table, id, CancellationToken.None).ConfigureAwait(false))
                {
                    throw new EntityNotFoundException(entity, id.ToString(), ex.InnerException);
                }
            }

            var first = references[0];
            throw new EntityNotFoundException(first.Entity, first.Id.ToString(), ex.InnerException);
        }
    }

    private async Task<bool> ExistsAsync(string table, Guid id, CancellationToken cancellationToken)
    {
        var session = await OpenRawAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // The table name is one of our own constants, never input.
            return await session.Sql($"SELECT 1 FROM {table} WHERE id = @id").Guid("id", id)
                .QuerySingleOrDefaultAsync(static (in Row r) => true, cancellationToken).ConfigureAwait(false);
        }
    }

    private DateTimeOffset Now() => StorageTime.Now(_time);

    private Guid NewId(DateTimeOffset now) => _ids.Next(now);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connections.Dispose();
        _secrets.Dispose();
        _readyLock.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _connections.DisposeAsync().ConfigureAwait(false);
        _secrets.Dispose();
        _readyLock.Dispose();
    }

    private static readonly Action<ILogger, string, int, int, Exception?> LogMigrated =
        LoggerMessage.Define<string, int, int>(LogLevel.Information, new EventId(1, "Migrated"),
            "GatewayStorage migrated the {Backend} database: {Count} migration(s) applied, schema version {Version}.");
}
