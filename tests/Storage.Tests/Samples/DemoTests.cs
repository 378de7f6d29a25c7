using System.Diagnostics;
using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Support;
using GatewayStorage.Tests.Infrastructure;

namespace GatewayStorage.Tests.Samples;

/// <summary>Runs the demo as a user would (twice, as a process) on the embedded default and on PostgreSQL.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("gs-demo-").FullName;

    [Fact]
    public async Task Demo_runs_twice_on_the_embedded_default_and_the_second_run_finds_the_first_runs_data()
    {
        var first = await RunDemoAsync(new Dictionary<string, string?>());
        var second = await RunDemoAsync(new Dictionary<string, string?>());

        Assert.Contains("sqlite", first, StringComparison.Ordinal);
        // Every script the SQLite backend embeds, whatever their number.
        var scripts = typeof(SqliteBackend).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.Contains($"{scripts} migration(s) applied this run", first, StringComparison.Ordinal);
        Assert.Contains("assigned now", first, StringComparison.Ordinal);
        Assert.Contains("0 migration(s) applied this run", second, StringComparison.Ordinal);
        Assert.Contains("already assigned", second, StringComparison.Ordinal);
        Assert.Contains("after revoke rejected", second, StringComparison.Ordinal);
        Assert.Contains("token read back: matches", second, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "gateway.db")));
        Assert.True(File.Exists(Path.Combine(_workingDirectory, "data", "gateway.db.key")));
        Assert.DoesNotContain("demo-client-secret", first + second, StringComparison.Ordinal);
        Assert.DoesNotContain("gho_demo_access_token", first + second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_runs_unchanged_against_postgres_given_DATABASE_URL_and_ENCRYPTION_KEY()
    {
        var url = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("demo");
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = url,
            ["ENCRYPTION_KEY"] = StorageFixture.TestEncryptionKey,
        };

        var first = await RunDemoAsync(environment);
        var second = await RunDemoAsync(environment);

        Assert.Contains("postgres", first, StringComparison.Ordinal);
        Assert.Contains("assigned now", first, StringComparison.Ordinal);
        Assert.Contains("already assigned", second, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workingDirectory, "data")));
    }

    [Fact]
    public async Task Demo_explains_a_missing_postgres_encryption_key_instead_of_crashing()
    {
        var output = await RunDemoAsync(
            new Dictionary<string, string?> { ["DATABASE_URL"] = "postgresql://gateway:hunter2@127.0.0.1:1/gateway" },
            expectedExitCode: 1);

        Assert.Contains("ENCRYPTION_KEY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    private async Task<string> RunDemoAsync(Dictionary<string, string?> environment, int expectedExitCode = 0)
    {
        var start = new ProcessStartInfo("dotnet", [DemoAssembly()])
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in new[] { "DATABASE_URL", "ENCRYPTION_KEY", "GatewayStorage__Url" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == expectedExitCode, $"The demo exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string DemoAssembly() => BuiltAssembly.Find(Path.Combine("samples", "Storage.Demo"), "GatewayStorage.Demo.dll");
}
