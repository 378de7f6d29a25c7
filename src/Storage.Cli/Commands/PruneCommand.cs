using System.CommandLine;
using System.Globalization;
using GatewayStorage.Cli.Infrastructure;
using Spectre.Console;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>prune</c>: deletes what has expired, and history older than <c>--before</c>.</summary>
internal static class PruneCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var before = new Option<DateTimeOffset?>("--before")
        {
            Description = "Also delete API-key usage windows and audit entries older than this date (ISO 8601, e.g. 2026-01-01 or 2026-01-01T00:00:00Z; UTC unless an offset is given).",
            CustomParser = ParseDate,
        };
        var command = new Command(
            "prune",
            "Delete expired OAuth tokens, sessions and single-use tokens (expired now); with --before, also API-key usage windows and audit entries older than that date. " +
            "Deletes in batches, so the database stays usable.")
        {
            url, before,
        };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.Open();
            var now = TimeProvider.System.GetUtcNow();
            var cutoff = parseResult.GetValue(before);
            var table = new Table().AddColumn("What").AddColumn(new TableColumn("Deleted").RightAligned());
            table.AddRow("expired OAuth tokens", Number(await db.PruneExpiredOAuthTokensAsync(now, cancellationToken).ConfigureAwait(false)));
            table.AddRow("expired sessions and single-use tokens", Number(await db.PruneExpiredSessionsAsync(now, cancellationToken).ConfigureAwait(false)));
            if (cutoff is { } date)
            {
                var day = date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
                table.AddRow($"API-key usage windows before {day}", Number(await db.PruneApiKeyUsageAsync(date, cancellationToken).ConfigureAwait(false)));
                table.AddRow($"audit entries before {day}", Number(await db.PurgeAuditAsync(date, cancellationToken).ConfigureAwait(false)));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static DateTimeOffset? ParseDate(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return date;
        }

        result.AddError($"--before: '{text}' is not a date; use ISO 8601, e.g. 2026-01-01 or 2026-01-01T00:00:00Z.");
        return null;
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
