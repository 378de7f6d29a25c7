using System.CommandLine;
using GatewayStorage.Cli.Infrastructure;
using GatewayStorage.Cli.Output;
using GatewayStorage.Portability;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>copy</c>: every table from one database to another, verified (see <see cref="DatabaseCopier"/>).</summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The URL of the database to copy from (only read).", Required = true };
        var to = new Option<string>("--to") { Description = "The URL of the database to copy into: migrated (gateway-storage migrate) and empty.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only read the source and report what would be copied; write nothing." };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Accept a target that holds rows, skipping rows that already exist there." };
        var command = new Command(
            "copy",
            "Copy every table from one database to another (SQLite <-> PostgreSQL or the same engine) in one target transaction, then verify row counts and digests. " +
            "Secrets travel encrypted: give the target the source's encryption keys to read them.")
        {
            from, to, dryRun, skipExisting,
        };
        CommandRunner.SetAction(command, urlOption: null, async (parseResult, host, cancellationToken) =>
        {
            var source = host.OpenToReadStoredRows(parseResult.GetRequiredValue(from));
            var target = host.Open(parseResult.GetRequiredValue(to));
            var options = new DatabaseCopyOptions { DryRun = parseResult.GetValue(dryRun), SkipExisting = parseResult.GetValue(skipExisting) };
            var totals = (await source.CountRowsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Table, c => c.Rows);
            var report = await ProgressDisplay.RunAsync(options.DryRun ? "read" : "copied", totals, sink =>
                DatabaseCopier.CopyAsync(source, target, options, new CopyProgressAdapter(sink), cancellationToken)).ConfigureAwait(false);
            return CopyReportView.Write(report);
        });
        return command;
    }
}
