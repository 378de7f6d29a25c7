using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GatewayStorage.Tests.Infrastructure;

/// <summary>
/// A throwaway PgBouncer (transaction pooling) in front of a PostgreSQL server: its own directory under /tmp, a free
/// port, trust authentication towards the tests, run as the postgres OS user when the tests run as root. A watchdog
/// stops it and deletes its directory when the test process ends; dispose it to do that sooner.
/// </summary>
internal sealed class PgBouncerServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PgBouncerServer>> Shared =
        new(() => Task.Run(StartSharedAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private PgBouncerServer(string dir, int port, string userName, bool asPostgresUser)
    {
        _dir = dir;
        Port = port;
        UserName = userName;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The port PgBouncer listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The user name clients log in with (PgBouncer logs in to the server as the server's test user).</summary>
    public string UserName { get; }

    private string PidFile => Path.Combine(_dir, "pgbouncer.pid");

    private string LogFile => Path.Combine(_dir, "pgbouncer.log");

    /// <summary>The process-wide PgBouncer in front of the shared test server, started on first use.</summary>
    public static Task<PgBouncerServer> GetAsync() => Shared.Value;

    /// <summary>The URL of <paramref name="database"/> through this PgBouncer, with <c>pooler=transaction</c>.</summary>
    public string UrlOf(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"postgresql://{Uri.EscapeDataString(UserName)}@127.0.0.1:{Port}/{Uri.EscapeDataString(database)}?pooler=transaction");

    private static async Task<PgBouncerServer> StartSharedAsync()
    {
        var server = await PostgresServer.GetAsync();
        var bouncer = await StartAsync(server.Host, server.Port, server.UserName, server.Password, poolSize: 6);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => bouncer.StopAndDelete();
        return bouncer;
    }

    /// <summary>Starts PgBouncer in transaction mode in front of the server at <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="poolSize">Server connections per database and user (PgBouncer's <c>default_pool_size</c>).</param>
    public static async Task<PgBouncerServer> StartAsync(string host, int port, string userName, string? password, int poolSize)
    {
        var program = Find() ?? throw new InvalidOperationException(
            "This test runs PgBouncer, and no pgbouncer binary was found on PATH or in /usr/sbin. Install it " +
            "(Debian/Ubuntu: `apt-get install pgbouncer`; macOS: `brew install pgbouncer`).");
        var asPostgresUser = await PostgresServer.LocalCluster.IsRootAsync();
        var dir = PostgresServer.LocalCluster.NewDirectory();
        var errors = new StringBuilder();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var bouncer = new PgBouncerServer(dir, PostgresServer.LocalCluster.FreePort(), userName, asPostgresUser);
            try
            {
                if (attempt == 1)
                {
                    await bouncer.StartWatchdogAsync();
                }

                await bouncer.WriteConfigAsync(host, port, password, poolSize);
                var result = await PostgresServer.RunAsync(program, ["-d", "-q", bouncer.ConfigFile], asPostgresUser, dir);
                if (result.ExitCode == 0 && await bouncer.WaitUntilListeningAsync())
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"PgBouncer (transaction mode) started on 127.0.0.1:{bouncer.Port} in front of {host}:{port} (in {dir})"));
                    return bouncer;
                }

                errors.Append(CultureInfo.InvariantCulture, $"port {bouncer.Port}: exit {result.ExitCode}: {result.Output}\n{bouncer.LogTail()}\n");
            }
            catch
            {
                bouncer.StopAndDelete();
                throw;
            }
        }

        new PgBouncerServer(dir, 0, userName, asPostgresUser).StopAndDelete();
        throw new InvalidOperationException($"PgBouncer did not start:\n{errors}");
    }

    public ValueTask DisposeAsync()
    {
        StopAndDelete();
        return ValueTask.CompletedTask;
    }

    private string ConfigFile => Path.Combine(_dir, "pgbouncer.ini");

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/sbin"))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "pgbouncer")))
            {
                return Path.Combine(dir, "pgbouncer");
            }
        }

        return null;
    }

    private async Task WriteConfigAsync(string host, int port, string? password, int poolSize)
    {
        // Every database of the server, logged in to as the server's test user; clients are trusted by name.
        var target = string.Create(CultureInfo.InvariantCulture, $"host={host} port={port} user={UserName}") +
            (password is null ? "" : $" password={password}");
        var config = string.Join('\n',
            "[databases]",
            $"* = {target}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            string.Create(CultureInfo.InvariantCulture, $"listen_port = {Port}"),
            "unix_socket_dir =",
            "auth_type = trust",
            $"auth_file = {Path.Combine(_dir, "userlist.txt")}",
            "pool_mode = transaction",
            "max_client_conn = 2000",
            string.Create(CultureInfo.InvariantCulture, $"default_pool_size = {poolSize}"),
            "server_idle_timeout = 10",
            "ignore_startup_parameters = extra_float_digits",
            $"logfile = {LogFile}",
            $"pidfile = {PidFile}",
            "");
        await File.WriteAllTextAsync(ConfigFile, config);
        await File.WriteAllTextAsync(Path.Combine(_dir, "userlist.txt"), $"\"{UserName}\" \"\"\n");
        if (_asPostgresUser)
        {
            var chown = await PostgresServer.RunAsync("chown", ["-R", "postgres:", _dir], false, null);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown -R postgres: {_dir} failed: {chown.Output}");
            }
        }
    }

    /// <summary>Polls, with a deadline, until PgBouncer accepts TCP connections on its port.</summary>
    private async Task<bool> WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }

    /// <summary>As for the PostgreSQL cluster: a detached shell stops PgBouncer and deletes its directory once this process ends.</summary>
    private async Task StartWatchdogAsync()
    {
        const string watch = """
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            pid=$(head -n 1 "$2/pgbouncer.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null
            sleep 0.5
            rm -rf "$2"
            """;
        var result = await PostgresServer.RunAsync(
            "/bin/sh",
            ["-c", "\"$@\" </dev/null >/dev/null 2>&1 &", "sh", "/bin/sh", "-c", watch, "gs-pgbouncer-watchdog",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _dir],
            false,
            "/");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not start the PgBouncer clean-up watchdog: {result.Output}");
        }
    }

    private string LogTail()
    {
        try
        {
            return File.Exists(LogFile) ? string.Join('\n', File.ReadAllLines(LogFile).TakeLast(20)) : "(no log)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no log: {e.Message})";
        }
    }

    private void StopAndDelete()
    {
        try
        {
            if (File.Exists(PidFile) && int.TryParse(File.ReadAllLines(PidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                // A throwaway: nothing to shut down gracefully.
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        try
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {_dir}: {e.Message}");
        }
    }
}
