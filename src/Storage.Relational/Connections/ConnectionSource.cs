using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>Hands out open connections of one database and takes them back.</summary>
internal abstract class ConnectionSource : IAsyncDisposable, IDisposable
{
    /// <summary>A short description of the database that is safe to show (no password).</summary>
    public abstract string Description { get; }

    /// <summary>Rents an open connection; the caller gives it back with <see cref="ReturnAsync"/>.</summary>
    public abstract ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken);

    /// <summary>Rents an open connection with one attempt, never waiting out a start-up retry (health checks).</summary>
    public virtual ValueTask<DbConnection> RentOnceAsync(CancellationToken cancellationToken) => RentAsync(cancellationToken);

    /// <summary>Gives a rented connection back.</summary>
    public abstract ValueTask ReturnAsync(DbConnection connection);

    /// <summary>
    /// Gets a command for <paramref name="sql"/> on a rented connection, without parameters. By default a new command;
    /// a backend may hand out a command it prepared earlier on the same physical connection.
    /// </summary>
    public virtual DbCommand GetCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Takes a command back once it has run. By default it is disposed.</summary>
    public virtual ValueTask ReleaseCommandAsync(DbCommand command) => command.DisposeAsync();

    public abstract ValueTask DisposeAsync();

    public abstract void Dispose();
}
