using System.Globalization;
using GatewayStorage.Cli.Infrastructure;
using GatewayStorage.Portability;
using Spectre.Console;

namespace GatewayStorage.Cli.Output;

/// <summary>Prints a copy or import report, table by table, with its warnings, and says whether it verified.</summary>
internal static class CopyReportView
{
    /// <returns><see cref="ExitCodes.Ok"/>, or <see cref="ExitCodes.Failed"/> when the result did not verify.</returns>
    public static int Write(DatabaseCopyReport report)
    {
        var table = new Table()
            .AddColumn("Table")
            .AddColumn(new TableColumn("Source rows").RightAligned())
            .AddColumn(new TableColumn("Written").RightAligned())
            .AddColumn(new TableColumn("Target rows").RightAligned())
            .AddColumn("Verified");
        foreach (var result in report.Tables)
        {
            table.AddRow(
                Markup.Escape(result.Table),
                Number(result.SourceRows),
                Number(result.WrittenRows),
                result.TargetRows is { } rows ? Number(rows) : "-",
                report.DryRun ? "dry run" : result.Matches ? "yes" : "[red]NO[/]");
        }

        AnsiConsole.Write(table);
        foreach (var warning in report.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        if (report.DryRun)
        {
            Console.Out.WriteLine($"Dry run: {report.Tables.Sum(t => t.SourceRows):N0} rows in {report.Tables.Count} tables would be copied; nothing was written.");
            return ExitCodes.Ok;
        }

        if (!report.Verified)
        {
            var differing = string.Join(", ", report.Differences.Select(d => d.Table));
            Console.Error.WriteLine(report.Committed
                ? $"error: verification failed for {differing}: the target differs from the source (existing rows were kept)."
                : $"error: verification failed for {differing}: the copy was rolled back and the target is as it was.");
            return ExitCodes.Failed;
        }

        Console.Out.WriteLine($"Verified: {report.Tables.Sum(t => t.WrittenRows):N0} rows written, every table's row count and digest match.");
        return ExitCodes.Ok;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
