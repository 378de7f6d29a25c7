using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using GatewayStorage.Relational;
using Npgsql;

namespace GatewayStorage.Postgres;

/// <summary>
/// Connections from one <see cref="NpgsqlDataSource"/>, kept open between operations in a most-recently-used-first
/// stack on top of Npgsql's pool (see <see cref="IdleConnectionStack{TConnection}"/>): Npgsql's pool hands out idle
/// connections first in, first out, so a gateway whose pool once grew would spread even a single caller's point reads
/// over every server process. The stack honours the connection string's pool settings: at most <c>Maximum Pool Size</c>
/// idle connections, handed back to Npgsql after <c>Connection Idle Lifetime</c> (checked every
/// <c>Connection Pruning Interval</c>) or, when set, once older than <c>Connection Lifetime</c>.
/// Until the first connection succeeds, transient failures are retried with backoff for
/// <see cref="GatewayStorageOptions.StartupRetryTimeout"/>: a database container that starts after the application is normal.
/// </summary>
internal sealed class PostgresConnectionSource : ConnectionSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeSpan _startupRetryTimeout;
    private readonly IdleConnectionStack<NpgsqlConnection> _idle;
    private readonly TimeSpan _connectionLifetime;
    private readonly ConditionalWeakTable<NpgsqlConnection, object>? _openedAt;
    private readonly Timer _pruning;
    private volatile bool _connectedOnce;
    private int _disposed;

    public PostgresConnectionSource(NpgsqlDataSource dataSource, bool ownsDataSource, TimeSpan startupRetryTimeout)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _startupRetryTimeout = startupRetryTimeout;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"postgresql://{settings.Host}:{settings.Port}/{settings.Database}";
        _idle = new IdleConnectionStack<NpgsqlConnection>(settings.MaxPoolSize, TimeSpan.FromSeconds(settings.ConnectionIdleLifetime));
        _connectionLifetime = TimeSpan.FromSeconds(settings.ConnectionLifetime);
        _openedAt = settings.ConnectionLifetime > 0 ? new ConditionalWeakTable<NpgsqlConnection, object>() : null;

        // The timer holds the source weakly, so a provider that is never disposed can still be collected.
        var interval = TimeSpan.FromSeconds(Math.Max(1, settings.ConnectionPruningInterval));
        _pruning = new Timer(
            static state =>
            {
                if (((WeakReference<PostgresConnectionSource>)state!).TryGetTarget(out var source))
                {
                    source.Prune();
                }
            },
            new WeakReference<PostgresConnectionSource>(this),
            interval,
            interval);
    }

    public override string Description { get; }

    /// <summary>The number of open connections waiting for the next operation.</summary>
    internal int IdleCount => _idle.Count;

    public override async ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        while (_idle.TryPop(out var idle))
        {
            if (idle.FullState == ConnectionState.Open)
            {
                return idle;
            }

            await idle.DisposeAsync().ConfigureAwait(false);
        }

        var connection = _connectedOnce
            ? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false)
            : await OpenFirstAsync(cancellationToken).ConfigureAwait(false);
        _openedAt?.AddOrUpdate(connection, Stopwatch.GetTimestamp());
        return connection;
    }

    public override async ValueTask<DbConnection> RentOnceAsync(CancellationToken cancellationToken) =>
        _connectedOnce ? await RentAsync(cancellationToken).ConfigureAwait(false) : await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask ReturnAsync(DbConnection connection)
    {
        var npgsql = (NpgsqlConnection)connection;

        // A broken connection, one past its lifetime, or one the stack cannot hold goes back to Npgsql, which closes
        // or pools it.
        return npgsql.FullState == ConnectionState.Open && !IsPastLifetime(npgsql) && _idle.TryPush(npgsql)
            ? ValueTask.CompletedTask
            : connection.DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _pruning.DisposeAsync().ConfigureAwait(false);
        foreach (var connection in _idle.Close())
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pruning.Dispose();
        foreach (var connection in _idle.Close())
        {
            connection.Dispose();
        }

        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private void Prune()
    {
        foreach (var connection in _idle.TakeStale())
        {
            connection.Dispose();
        }
    }

    private bool IsPastLifetime(NpgsqlConnection connection) =>
        _openedAt is not null && _openedAt.TryGetValue(connection, out var openedAt) && Stopwatch.GetElapsedTime((long)openedAt) > _connectionLifetime;

    private async Task<NpgsqlConnection> OpenFirstAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                _connectedOnce = true;
                return connection;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && Stopwatch.GetElapsedTime(started) + delay < _startupRetryTimeout)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
