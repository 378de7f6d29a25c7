using System.CommandLine;
using GatewayStorage.Cli.Infrastructure;
using GatewayStorage.Cli.Output;
using GatewayStorage.Portability;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>import</c>: a portable file into a database, validated before anything is written (see <see cref="DatabaseImporter"/>).</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var input = new Option<FileInfo>("--in") { Description = "The file 'export' wrote (.zip or .tar.gz).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only validate the file and report what would be imported; write nothing." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Accept a target that holds rows, skipping rows that already exist there." };
        var command = new Command(
            "import",
            "Import a file that 'export' wrote into a migrated, empty database. The whole file is validated first; a truncated, edited or newer-format file is refused and nothing is written.")
        {
            url, input, dryRun, skipExisting,
        };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.Open();
            var file = parseResult.GetRequiredValue(input);
            var options = new DatabaseCopyOptions { DryRun = parseResult.GetValue(dryRun), SkipExisting = parseResult.GetValue(skipExisting) };
            var report = await ProgressDisplay.RunAsync(options.DryRun ? "validated" : "imported", new Dictionary<string, long>(), sink =>
                DatabaseImporter.ImportAsync(db, file.FullName, options, new CopyProgressAdapter(sink), cancellationToken)).ConfigureAwait(false);
            return CopyReportView.Write(report);
        });
        return command;
    }
}
