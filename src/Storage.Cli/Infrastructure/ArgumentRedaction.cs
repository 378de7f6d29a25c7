namespace GatewayStorage.Cli.Infrastructure;

/// <summary>
/// Keeps database URLs given on the command line out of messages: the parser's messages may quote an argument, and a
/// URL can carry a password. Nothing is parsed: any argument that looks like a URL is replaced as a whole.
/// </summary>
internal static class ArgumentRedaction
{
    public const string Placeholder = "<url>";

    public static string Redact(string message, IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            // '--url=postgresql://…' as well as 'postgresql://…'.
            var value = arg.Contains("://", StringComparison.Ordinal) && arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal)
                ? arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..]
                : arg;
            if (value.Contains("://", StringComparison.Ordinal) || value.Contains('@', StringComparison.Ordinal))
            {
                message = message.Replace(value, Placeholder, StringComparison.Ordinal);
            }
        }

        return message;
    }
}
