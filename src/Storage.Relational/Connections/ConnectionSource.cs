using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>Hands out open connections of one database and takes them back.</summary>
internal abstract class ConnectionSource : IAsyncDisposable, IDisposable
{
    /// <summary>A short description of the database that is safe to show (no password).</summary>
    public abstract string Description { get; }

    /// <summary>Rents an open connection; the caller gives it back with <see cref="ReturnAsync"/>.</summary>
    public abstract ValueTask<DbConnection> RentAsync(CancellationToken cancellationToken);

    /// <summary>Gives a rented connection back.</summary>
    public abstract ValueTask ReturnAsync(DbConnection connection);

    public abstract ValueTask DisposeAsync();

    public abstract void Dispose();
}
