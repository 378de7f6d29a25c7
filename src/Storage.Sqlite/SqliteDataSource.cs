using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Sqlite;

/// <summary>
/// The SQLite <see cref="DbDataSource"/>: long-lived connections, set up once each (WAL, busy timeout,
/// synchronous=NORMAL, foreign keys, page cache), handed out one caller at a time, most recently used first (its page
/// cache and prepared statements are the hottest), and kept open with their prepared commands until the data source
/// is disposed. Microsoft.Data.Sqlite's own pool cannot keep prepared commands across opens (DESIGN.md, Hot paths:
/// 8.5 µs against 21 µs a point read), which is why this one exists. For <c>:memory:</c> it holds exactly one
/// connection, which keeps the database alive for the provider's lifetime. A caller waits for a free connection
/// asynchronously, at most the busy timeout, then gets a transient <see cref="StorageUnavailableException"/>.
/// </summary>
internal sealed class SqliteDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly string _setupSql;
    private readonly TimeSpan _acquireTimeout;
    private readonly SemaphoreSlim _slots;
    private readonly int _size;
    private readonly Stack<CachingSqliteConnection> _idle = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    public SqliteDataSource(string path, int maxSize, TimeSpan busyTimeout, TimeSpan commandTimeout)
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
        _size = size;
        _acquireTimeout = busyTimeout;
        Description = isMemory ? "sqlite::memory:" : "sqlite:" + path;
        SqlitePoolMetrics.Register(this);
    }

    /// <summary>A short description of the database, for messages.</summary>
    public string Description { get; }

    /// <inheritdoc />
    public override string ConnectionString => _connectionString;

    /// <summary>The number of open connections waiting for the next operation.</summary>
    internal int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>The connections waiting for an operation, and those handed out (or being opened) now.</summary>
    internal (int Idle, int Used) Usage() => (IdleCount, _size - _slots.CurrentCount);

    /// <summary>A new plain connection to the same database, not pooled and not set up; the library does not use it.</summary>
    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    protected override DbConnection OpenDbConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_slots.Wait(_acquireTimeout))
        {
            throw NoFreeConnection();
        }

        return TakeOrOpen();
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // The wait is the only part that can take long, and it holds no thread.
        if (!await _slots.WaitAsync(_acquireTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw NoFreeConnection();
        }

        return TakeOrOpen();
    }

    /// <summary>Takes a connection back when its user disposes it; <see langword="false"/> when it must close instead.</summary>
    internal bool TryReturn(CachingSqliteConnection connection)
    {
        var keep = connection.State == ConnectionState.Open;
        lock (_lock)
        {
            keep &= !_disposed;
            if (keep)
            {
                _idle.Push(connection);
            }
        }

        _slots.Release();
        return keep;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CachingSqliteConnection[] idle;
            lock (_lock)
            {
                _disposed = true;
                idle = [.. _idle];
                _idle.Clear();
            }

            foreach (var connection in idle)
            {
                connection.CloseForGood();
            }

            SqlitePoolMetrics.Unregister(this);
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private StorageUnavailableException NoFreeConnection() => new(
        $"No SQLite connection became free within the busy timeout ({_acquireTimeout.TotalSeconds:0.###} s); the operation may succeed if retried.");

    /// <summary>With a slot taken: the most recently used idle connection, or a new one (the slot is freed if that fails).</summary>
    private CachingSqliteConnection TakeOrOpen()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
        }

        try
        {
            return OpenNew();
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    // Synchronous on purpose: Microsoft.Data.Sqlite opens and runs pragmas synchronously whatever the API, so an async
    // version would only add a state machine. It runs once per physical connection.
    private CachingSqliteConnection OpenNew()
    {
        var connection = new CachingSqliteConnection(_connectionString, this);
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = _setupSql;
            setup.ExecuteNonQuery();
            setup.CommandText = "PRAGMA foreign_keys";
            if (setup.ExecuteScalar() is not 1L)
            {
                throw new StorageConfigurationException("This SQLite build does not enforce foreign keys (PRAGMA foreign_keys stays off); GatewayStorage needs them.");
            }

            return connection;
        }
        catch
        {
            connection.CloseForGood();
            throw;
        }
    }
}
