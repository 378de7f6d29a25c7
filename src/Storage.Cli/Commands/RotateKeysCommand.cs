using System.CommandLine;
using System.Globalization;
using GatewayStorage.Cli.Infrastructure;
using GatewayStorage.Cli.Output;
using GatewayStorage.Security;
using Spectre.Console;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>rotate-keys</c>: re-encrypts every secret under the newest configured key (see <see cref="EncryptionKeyRotator"/>).</summary>
internal static class RotateKeysCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"Rows per batch; each batch is its own short transaction. Defaults to {EncryptionKeyRotator.DefaultBatchSize}.",
            DefaultValueFactory = _ => EncryptionKeyRotator.DefaultBatchSize,
        };
        var command = new Command(
            "rotate-keys",
            "Re-encrypt every stored secret under the newest encryption key: configure the old keys and the new one last " +
            "(GatewayStorage__EncryptionKeys__0__Id/__Key, __1__…), run this, then remove the old keys. " +
            "Runs in batches while the database is in use, and is resumable: values already under the newest key are skipped.")
        {
            url, batchSize,
        };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.Open();
            var totals = (await db.CountRowsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Table, c => c.Rows);
            var report = await ProgressDisplay.RunAsync("re-encrypted", totals, sink =>
                EncryptionKeyRotator.RotateAsync(db, parseResult.GetValue(batchSize), new RotationProgressAdapter(sink), cancellationToken)).ConfigureAwait(false);

            var table = new Table().AddColumn("Table").AddColumn(new TableColumn("Re-encrypted").RightAligned()).AddColumn(new TableColumn("Changed meanwhile").RightAligned());
            foreach (var result in report.Tables)
            {
                table.AddRow(Markup.Escape(result.Table), Number(result.Rotated), Number(result.Changed));
            }

            AnsiConsole.Write(table);
            await Console.Out.WriteLineAsync($"Every secret is now under key {report.KeyId} ({report.Rotated:N0} re-encrypted).").ConfigureAwait(false);
            if (report.Changed > 0)
            {
                await Console.Out.WriteLineAsync($"{report.Changed:N0} value(s) were written by others meanwhile and kept as written: run rotate-keys again to be sure they are under the newest key.").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class RotationProgressAdapter(IProgress<TableProgress> sink) : IProgress<KeyRotationProgress>
    {
        public void Report(KeyRotationProgress value) => sink.Report(new TableProgress(value.Table, value.Rows, value.Completed));
    }
}
