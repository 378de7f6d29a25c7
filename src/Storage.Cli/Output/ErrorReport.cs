using GatewayStorage.Cli.Infrastructure;
using Microsoft.Extensions.Options;

namespace GatewayStorage.Cli.Output;

/// <summary>
/// Writes a failure to stderr as one sentence (the library's messages name the setting to fix and never a secret), with
/// the stack trace only under <c>--verbose</c>, and picks the exit code.
/// </summary>
internal static class ErrorReport
{
    public static int Write(Exception exception, bool verbose)
    {
        var code = ExitCodeOf(exception);
        var message = exception switch
        {
            OperationCanceledException => "Cancelled.",

            // One sentence: not the "(Parameter 'name')" that ArgumentException appends for a programmer.
            ArgumentException { ParamName: { } name } argument => argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal),
            _ => exception.Message,
        };
        Console.Error.WriteLine($"error: {message}");
        if (verbose)
        {
            Console.Error.WriteLine(exception.ToString());
        }

        return code;
    }

    public static int ExitCodeOf(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.Cancelled,

        // A damaged, edited or newer-format file failed its verification: nothing was written.
        PortableFileException => ExitCodes.Failed,
        StorageUnavailableException => ExitCodes.Unavailable,
        StorageConfigurationException or SchemaVersionException or DatabaseCopyRefusedException or SecretDecryptionException => ExitCodes.Usage,
        OptionsValidationException or ArgumentException or NotSupportedException or IOException or UnauthorizedAccessException => ExitCodes.Usage,
        StorageException { IsTransient: true } => ExitCodes.Unavailable,
        _ => ExitCodes.Failed,
    };
}
