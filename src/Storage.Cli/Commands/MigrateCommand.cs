using System.CommandLine;
using GatewayStorage.Cli.Infrastructure;

namespace GatewayStorage.Cli.Commands;

/// <summary><c>migrate</c>: applies pending migrations, or prints their SQL for a DBA (<c>--script</c>).</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url();
        var script = new Option<bool>("--script")
        {
            Description = "Print the SQL of the pending migrations instead of applying them (it records each script in schema_migrations as it goes).",
        };
        var command = new Command("migrate", "Apply the pending schema migrations (safe to run while other processes start: they take turns).") { url, script };
        CommandRunner.SetAction(command, url, async (parseResult, host, cancellationToken) =>
        {
            var db = host.Open();
            if (parseResult.GetValue(script))
            {
                var sql = await db.GetPendingMigrationSqlAsync(cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteAsync(sql.Length > 0
                    ? sql
                    : $"-- The {db.BackendName} schema is at version {await db.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false)}: nothing to apply.\n").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var applied = await db.MigrateAsync(cancellationToken).ConfigureAwait(false);
            foreach (var migration in applied)
            {
                await Console.Out.WriteLineAsync($"applied {migration.Version:0000} {migration.Name}").ConfigureAwait(false);
            }

            var version = await db.GetSchemaVersionAsync(cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"The {db.BackendName} schema is at version {version} ({applied.Count} migration(s) applied).").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
