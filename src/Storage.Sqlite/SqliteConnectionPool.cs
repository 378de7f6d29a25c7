using System.Data.Common;
using GatewayStorage.Relational;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Sqlite;

/// <summary>
/// Long-lived SQLite connections, set up once each (WAL, busy timeout, synchronous=NORMAL, foreign keys) and
/// handed out one caller at a time, most recently used first (its page cache and prepared statements are the hottest).
/// Microsoft.Data.Sqlite's own pooling is off: it would re-run the set-up on every open. For <c>:memory:</c> the pool holds exactly one connection, which keeps the database alive for
/// the provider's lifetime.
/// </summary>
internal sealed class SqliteConnectionPool : ConnectionSource
{
    private readonly string _connectionString;
    private readonly string _setupSql;
    private readonly SemaphoreSlim _slots;
    private readonly IdleConnectionStack<CachingSqliteConnection> _idle;
    private int _disposed;

    public SqliteConnectionPool(string path, int maxSize, TimeSpan busyTimeout, TimeSpan commandTimeout)
    {
        var isMemory = path == SqliteUrl.Memory;
        if (!isMemory)
        {
            var folder = Path.GetDirectoryName(path)!;
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new StorageConfigurationException($"The folder '{folder}' for the SQLite database cannot be created: {ex.Message}", ex);
            }
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(commandTimeout.TotalSeconds),
        }.ToString();

        // busy_timeout first: switching to WAL needs a lock that a concurrent opener may hold for a moment.
        _setupSql =
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; " +
            (isMemory ? "" : "PRAGMA journal_mode = WAL; ") +
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +

            // Reads of a large database come from memory-mapped pages and a 16 MiB page cache per connection
            // instead of read() system calls through SQLite's 2 MiB default cache.
            (isMemory ? "" : "PRAGMA mmap_size = 268435456; ") + "PRAGMA cache_size = -16384;";
        var size = isMemory ? 1 : maxSize;
        _slots = new SemaphoreSlim(size, size);

        // In-process connections cost nothing while idle: they are kept until the pool is disposed.
        _idle = new IdleConnectionStack<CachingSqliteConnection>(size, Timeout.InfiniteTimeSpan);
        Description = isMemory ? "sqlite::memory:" : "sqlite:" + path;
    }

    public override string Description { get; }

    public override async ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_idle.TryPop(out var connection))
        {
            return connection;
        }

        try
        {
            return await OpenNewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public override async ValueTask ReturnAsync(DbConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open || !_idle.TryPush((CachingSqliteConnection)connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_disposed == 0)
        {
            _slots.Release();
        }
    }

    public override DbCommand GetCommand(DbConnection connection, string sql) => ((CachingSqliteConnection)connection).GetCommand(sql);

    public override ValueTask ReleaseCommandAsync(DbCommand command)
    {
        ((CachingSqliteConnection)command.Connection!).Release((SqliteCommand)command);
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _idle.Close())
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var connection in _idle.Close())
        {
            connection.Dispose();
        }
    }

    private async Task<CachingSqliteConnection> OpenNewAsync(CancellationToken cancellationToken)
    {
        var connection = new CachingSqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var setup = connection.CreateCommand();
            setup.CommandText = _setupSql;
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            setup.CommandText = "PRAGMA foreign_keys";
            var foreignKeys = await setup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (foreignKeys is not 1L)
            {
                throw new StorageConfigurationException("This SQLite build does not enforce foreign keys (PRAGMA foreign_keys stays off); GatewayStorage needs them.");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
