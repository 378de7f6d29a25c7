using System.CommandLine;
using GatewayStorage.Cli.Infrastructure;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>backup</c>: an online, consistent copy of a SQLite database file (see <see cref="SqliteBackup"/>).</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var output = new Option<FileInfo>("--out") { Description = "The backup file to create (it must not exist).", Required = true };
        var command = new Command(
            "backup",
            "Back up a SQLite database while it is in use (SQLite's online backup API). For PostgreSQL use pg_dump. " +
            "The backup holds no key: keep the encryption key (ENCRYPTION_KEY or the key file) with it.")
        {
            url, output,
        };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.OpenToReadStoredRows();
            if (db.BackendName != "sqlite")
            {
                await Console.Error.WriteLineAsync(
                    $"error: backup copies SQLite databases; this is a {db.BackendName} database: back it up with pg_dump (or use 'gateway-storage export').").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var file = parseResult.GetRequiredValue(output);
            await SqliteBackup.BackupAsync(db, file.FullName, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Backed up the SQLite database to {file.FullName} ({new FileInfo(file.FullName).Length:N0} bytes). Keep its encryption key with it.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
