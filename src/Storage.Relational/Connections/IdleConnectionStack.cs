using System.Data.Common;
using System.Diagnostics;

namespace GatewayStorage.Relational;

/// <summary>
/// Open idle connections, handed out most recently returned first. A steady trickle of operations then keeps
/// reusing the same one or two physical connections, whose server process, prepared statements and caches are hot;
/// a first-in-first-out pool (Npgsql's own) would rotate through every idle connection instead, which doubles the
/// latency of a point read. Connections idle for longer than the idle lifetime are handed back by <see cref="TakeStale"/>.
/// </summary>
internal sealed class IdleConnectionStack<TConnection>
    where TConnection : DbConnection
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries;
    private readonly int _capacity;
    private readonly TimeSpan _idleLifetime;
    private bool _closed;

    /// <param name="capacity">At most this many idle connections are kept; more are refused (the caller closes them).</param>
    /// <param name="idleLifetime">
    /// How long a connection may sit idle before <see cref="TakeStale"/> hands it back; <see cref="Timeout.InfiniteTimeSpan"/> for ever.
    /// </param>
    public IdleConnectionStack(int capacity, TimeSpan idleLifetime)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _idleLifetime = idleLifetime;
        _entries = new List<Entry>(Math.Min(capacity, 64));
    }

    /// <summary>The number of idle connections held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Takes the most recently returned idle connection.</summary>
    public bool TryPop(out TConnection connection)
    {
        lock (_lock)
        {
            if (_entries.Count > 0)
            {
                connection = _entries[^1].Connection;
                _entries.RemoveAt(_entries.Count - 1);
                return true;
            }
        }

        connection = null!;
        return false;
    }

    /// <summary>Keeps an idle connection; <see langword="false"/> when the stack is full or closed (the caller closes it).</summary>
    public bool TryPush(TConnection connection)
    {
        lock (_lock)
        {
            if (_closed || _entries.Count >= _capacity)
            {
                return false;
            }

            _entries.Add(new Entry(connection, Stopwatch.GetTimestamp()));
            return true;
        }
    }

    /// <summary>Removes and returns the connections that have been idle for longer than the idle lifetime (oldest first).</summary>
    public List<TConnection> TakeStale()
    {
        var stale = new List<TConnection>();
        if (_idleLifetime == Timeout.InfiniteTimeSpan)
        {
            return stale;
        }

        lock (_lock)
        {
            // Entries are in return order, so the stale ones are a prefix.
            var count = 0;
            while (count < _entries.Count && Stopwatch.GetElapsedTime(_entries[count].ReturnedAt) > _idleLifetime)
            {
                stale.Add(_entries[count].Connection);
                count++;
            }

            _entries.RemoveRange(0, count);
        }

        return stale;
    }

    /// <summary>Refuses further connections and returns every idle one, for the caller to close.</summary>
    public List<TConnection> Close()
    {
        lock (_lock)
        {
            _closed = true;
            var all = _entries.ConvertAll(entry => entry.Connection);
            _entries.Clear();
            return all;
        }
    }

    private readonly record struct Entry(TConnection Connection, long ReturnedAt);
}
