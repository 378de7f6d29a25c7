using Microsoft.Data.Sqlite;

namespace GatewayStorage.Sqlite;

/// <summary>
/// A long-lived SQLite connection that keeps its prepared commands, one per SQL text. Preparing a statement is most
/// of the cost of a point read on SQLite (DESIGN.md, Hot paths), so each pooled connection prepares a statement once
/// and re-executes it with new parameter values.
/// </summary>
internal sealed class CachingSqliteConnection(string connectionString) : SqliteConnection(connectionString)
{
    // Bounded: the library's statements are a few dozen fixed texts; anything beyond runs uncached.
    private const int MaxCachedCommands = 256;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets the prepared command for <paramref name="sql"/> or a new uncached one. A cached command keeps the parameters
    /// of its last use; every statement binds all of its parameters on every use, which overwrites them.
    /// </summary>
    public SqliteCommand GetCommand(string sql)
    {
        if (_commands.TryGetValue(sql, out var cached))
        {
            return cached;
        }

        var command = CreateCommand();
        command.CommandText = sql;
        if (_commands.Count < MaxCachedCommands)
        {
            _commands.Add(sql, command);
        }

        return command;
    }

    /// <summary>Takes a command back: a cached one stays for the next use, any other is disposed.</summary>
    public void Release(SqliteCommand command)
    {
        command.Transaction = null;
        if (!_commands.TryGetValue(command.CommandText, out var cached) || !ReferenceEquals(cached, command))
        {
            command.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }

        base.Dispose(disposing);
    }
}
