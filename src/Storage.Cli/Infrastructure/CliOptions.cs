using System.CommandLine;

namespace GatewayStorage.Cli.Infrastructure;

/// <summary>The options several commands share.</summary>
internal static class CliOptions
{
    /// <summary><c>--verbose</c>, on every command: debug logs, and the stack trace of an error.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show the library's debug log on stderr, and the stack trace of an error.",
        Recursive = true,
    };

    /// <summary>A new <c>--url</c> option for one command.</summary>
    public static Option<string?> Url() => new("--url")
    {
        Description = "The database URL (sqlite:./data/gateway.db, postgresql://user:password@host/db). " +
            "Defaults to GatewayStorage__Url, then DATABASE_URL, then sqlite:./data/gateway.db.",
    };
}
