using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GatewayStorage.Benchmarks.EfCore;

/// <summary>
/// SQLite: <c>PRAGMA synchronous = NORMAL</c> on every connection EF opens, the durability the library runs with (WAL
/// with synchronous=NORMAL: no fsync per commit). Without it every EF write pays an fsync (synchronous=FULL, SQLite's
/// default; about 1 ms a commit here) and the write benchmarks would measure the disk, not EF. There is no connection
/// string keyword for it, so this is the interceptor an EF user adds; it runs on each open, as theirs would.
/// The journal mode (WAL) is a property of the database file, set by the library's migrations.
/// </summary>
public sealed class SqliteSynchronousInterceptor : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous = NORMAL";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var command = connection.CreateCommand();
        await using (command)
        {
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
