using System.CommandLine;
using GatewayStorage.Cli.Commands;
using GatewayStorage.Cli.Infrastructure;

namespace GatewayStorage.Cli;

/// <summary>The <c>gateway-storage</c> command line: its commands, parsing and exit codes.</summary>
internal static class GatewayStorageCli
{
    private const string Description =
        "Operates a GatewayStorage database on SQLite or PostgreSQL: migrate, inspect, copy, export and import, back up, rotate encryption keys, prune.\n" +
        "The database URL comes from --url, else GatewayStorage__Url or DATABASE_URL, else sqlite:./data/gateway.db; encryption keys from " +
        "ENCRYPTION_KEY, GatewayStorage__EncryptionKeys__N__Id/__Key, or the SQLite key file beside the database, as in the library.\n" +
        "Exit codes: 0 ok; 1 failed (a copy or import did not verify, the file is damaged, or the database refused the work); " +
        "2 usage or configuration error (bad option, unknown scheme, malformed URL, refused copy, wrong password or missing key); " +
        "3 storage unavailable (cannot connect or timed out; retrying may help); 130 cancelled.";

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(Description)
        {
            CliOptions.Verbose,
            MigrateCommand.Create(),
            StatusCommand.Create(),
            CopyCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
            BackupCommand.Create(),
            RotateKeysCommand.Create(),
            PruneCommand.Create(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // Parse errors can quote an argument: a URL in the wrong place must not have its password echoed.
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync("error: " + ArgumentRedaction.Redact(error.Message, args)).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'gateway-storage --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }
}
