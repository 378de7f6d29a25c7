using System.Diagnostics;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Cli;

/// <summary>What one run of <c>gateway-storage</c> printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the built CLI as a process (<c>dotnet gateway-storage.dll …</c>), as an operator would, with output
/// redirected (so in plain-progress mode), an environment of the test's choosing and a deadline.
/// </summary>
public static class CliProcess
{
    private static readonly string[] InheritedSettings = ["DATABASE_URL", "ENCRYPTION_KEY", "GatewayStorage__Url"];

    /// <summary>Runs the CLI; by default with the fixtures' test key as <c>ENCRYPTION_KEY</c>.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Assembly(), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in InheritedSettings)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?> { ["ENCRYPTION_KEY"] = StorageFixture.TestEncryptionKey })
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string Assembly() => BuiltAssembly.Find(Path.Combine("src", "Storage.Cli"), "gateway-storage.dll");
}
