using System.Data.Common;
using System.Diagnostics;
using GatewayStorage.Relational;
using Npgsql;

namespace GatewayStorage.Postgres;

/// <summary>
/// Connections from one <see cref="NpgsqlDataSource"/>. Until the first connection succeeds, transient failures
/// are retried with backoff for <see cref="GatewayStorageOptions.StartupRetryTimeout"/>: a database container that
/// starts after the application is normal.
/// </summary>
internal sealed class PostgresConnectionSource : ConnectionSource
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeSpan _startupRetryTimeout;
    private volatile bool _connectedOnce;

    public PostgresConnectionSource(NpgsqlDataSource dataSource, bool ownsDataSource, TimeSpan startupRetryTimeout)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _startupRetryTimeout = startupRetryTimeout;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override string Description { get; }

    public override async ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_connectedOnce)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

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

    public override ValueTask ReturnAsync(DbConnection connection) => connection.DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }
}
