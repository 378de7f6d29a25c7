using System.CommandLine;
using System.Globalization;
using GatewayStorage.Cli.Infrastructure;
using Spectre.Console;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>status</c>: backend, engine version, schema version, health and row counts per table.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var command = new Command("status", "Show the backend, engine version, schema version, health and the row count of every table.") { url };
        CommandRunner.SetAction(command, url, static async (_, host, cancellationToken) =>
        {
            var db = host.Open();

            // First a call that throws the library's typed error (refused password, unreachable server), then health.
            var schemaVersion = await db.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
            var pending = await db.GetPendingMigrationSqlAsync(cancellationToken).ConfigureAwait(false);
            var health = await db.CheckHealthAsync(cancellationToken).ConfigureAwait(false);

            var summary = new Grid().AddColumn().AddColumn();
            summary.AddRow("Backend", Markup.Escape(db.BackendName));
            summary.AddRow("Engine version", Markup.Escape(health.EngineVersion ?? "unknown"));
            summary.AddRow("Schema version", pending.Length == 0
                ? $"{schemaVersion} (up to date)"
                : $"{schemaVersion} (migrations pending: run gateway-storage migrate)");
            summary.AddRow("Health", health.IsHealthy
                ? $"healthy ({health.Latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms)"
                : "unhealthy: " + Markup.Escape(health.Error ?? "no answer"));
            AnsiConsole.Write(summary);

            if (!health.IsHealthy)
            {
                await Console.Error.WriteLineAsync($"error: {health.Error}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            if (pending.Length == 0)
            {
                var counts = await db.CountRowsAsync(cancellationToken).ConfigureAwait(false);
                var table = new Table().AddColumn("Table").AddColumn(new TableColumn("Rows").RightAligned());
                foreach (var count in counts)
                {
                    table.AddRow(Markup.Escape(count.Table), count.Rows.ToString("N0", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
