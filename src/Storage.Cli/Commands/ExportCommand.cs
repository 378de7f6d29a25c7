using System.CommandLine;
using GatewayStorage.Cli.Infrastructure;
using GatewayStorage.Cli.Output;
using GatewayStorage.Portability;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>export</c>: every table to a portable, versioned file (see <see cref="DatabaseExporter"/>).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var output = new Option<FileInfo>("--out")
        {
            Description = "The file to write: .zip or .tar.gz (a manifest plus one JSON Lines stream per table). Secrets stay encrypted.",
            Required = true,
        };
        var command = new Command("export", "Export every table to a portable file that 'import' reads into either engine.") { url, output };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.OpenToReadStoredRows();
            var file = parseResult.GetRequiredValue(output);
            var totals = (await db.CountRowsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Table, c => c.Rows);
            var report = await ProgressDisplay.RunAsync("exported", totals, sink =>
                DatabaseExporter.ExportAsync(db, file.FullName, new CopyProgressAdapter(sink), cancellationToken)).ConfigureAwait(false);
            var code = CopyReportView.Write(report);
            await Console.Out.WriteLineAsync($"Exported {report.Tables.Sum(t => t.WrittenRows):N0} rows to {file.FullName}.").ConfigureAwait(false);
            return code;
        });
        return command;
    }
}
