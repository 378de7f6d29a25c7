using System.CommandLine;
using GatewayStorage.Cli.Output;

namespace GatewayStorage.Cli.Infrastructure;

/// <summary>Runs a command's body with a <see cref="StorageHost"/>, turning every failure into one line on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, Option<string?>? urlOption, Func<ParseResult, StorageHost, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var verbose = parseResult.GetValue(CliOptions.Verbose);
            try
            {
                var host = StorageHost.Start(urlOption is null ? null : parseResult.GetValue(urlOption), verbose);
                await using (host.ConfigureAwait(false))
                {
                    return await body(parseResult, host, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                return ErrorReport.Write(exception, verbose);
            }
        });
}
