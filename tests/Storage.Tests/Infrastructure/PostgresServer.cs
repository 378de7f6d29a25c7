using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace GatewayStorage.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the test suite runs against: the server named by
/// <c>GATEWAY_STORAGE_TEST_POSTGRES</c> when that is set, otherwise a throwaway cluster started from the
/// local PostgreSQL binaries and removed when the test process exits. One instance per process.
/// </summary>
internal sealed class PostgresServer
{
    public const string EnvironmentVariable = "GATEWAY_STORAGE_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Instance =
        new(() => Task.Run(StartAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    private static int databaseCounter;

    private readonly NpgsqlConnectionStringBuilder admin;
    private readonly bool shared;

    private PostgresServer(NpgsqlConnectionStringBuilder admin, string serverVersion, bool shared)
    {
        this.admin = admin;
        ServerVersion = serverVersion;
        this.shared = shared;
        AdminConnectionString = admin.ConnectionString;
    }

    /// <summary>Npgsql connection string for the maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The host the tests reach the server on.</summary>
    public string Host => admin.Host ?? "localhost";

    /// <summary>The server's port.</summary>
    public int Port => admin.Port;

    /// <summary>The user the tests connect as (who may create databases).</summary>
    public string UserName => admin.Username ?? Environment.UserName;

    /// <summary>That user's password, or <see langword="null"/> (the throwaway cluster trusts local logins).</summary>
    public string? Password => string.IsNullOrEmpty(admin.Password) ? null : admin.Password;

    /// <summary>The server's version, e.g. "15.14".</summary>
    public string ServerVersion { get; }

    /// <summary>The process-wide server, started on first use.</summary>
    public static Task<PostgresServer> GetAsync() => Instance.Value;

    /// <summary>Creates a fresh, empty database and returns a libpq URL for it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = NewDatabaseName(prefix);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await command.ExecuteNonQueryAsync();
                if (shared)
                {
                    // The test host is killed too soon after the last test to drop anything on exit; the
                    // marker lets a later run remove what this one leaves on the shared server.
                    var stamp = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                    command.CommandText = $"COMMENT ON DATABASE \"{name}\" IS '{StaleMarker}{stamp}'";
                    await command.ExecuteNonQueryAsync();
                }

                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 5)
            {
                // "source database template1 is being accessed by other users": try again shortly.
                await Task.Delay(100 * attempt);
            }
        }

        return ToUrl(admin, name);
    }

    private static string NewDatabaseName(string prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (clean.Length == 0 || char.IsAsciiDigit(clean[0]))
        {
            clean.Insert(0, "db_");
        }

        if (clean.Length > 40)
        {
            clean.Length = 40;
        }

        var counter = Interlocked.Increment(ref databaseCounter);
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return string.Create(CultureInfo.InvariantCulture, $"{clean}_{counter}_{random}");
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var builder = ParseConnection(configured.Trim());
            builder.Database ??= "postgres";
            var version = await QueryVersionAsync(builder.ConnectionString, $"the server in {EnvironmentVariable}");
            var server = new PostgresServer(builder, version, shared: true);
            await server.DropStaleDatabasesAsync();
            Console.Error.WriteLine(
                $"PostgreSQL {version} test server from {EnvironmentVariable}: {builder.Host}:{builder.Port}");
            return server;
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "The test suite needs PostgreSQL, and none was found: no initdb/pg_ctl on PATH or under " +
            $"/usr/lib/postgresql/*/bin, and {EnvironmentVariable} is not set. Install the server " +
            "(Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`) or set " +
            $"{EnvironmentVariable} to a libpq URL or Npgsql connection string of a server where the user " +
            "may CREATE DATABASE, e.g. postgresql://postgres:secret@127.0.0.1:5432/postgres." +
            (Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: this is a failure, not a skip.)" : ""));

        var cluster = await LocalCluster.StartAsync(bin);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAndDelete();
        return cluster.Server;
    }

    /// <summary>
    /// Starts a cluster of its own (own data directory, free port) for a test that restarts or stops the server,
    /// which the shared one must never be. Needs the local PostgreSQL binaries even when
    /// <c>GATEWAY_STORAGE_TEST_POSTGRES</c> names a server. Dispose it to stop it and delete its directory.
    /// </summary>
    public static Task<LocalCluster> StartPrivateClusterAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "This test restarts a PostgreSQL server of its own and needs the local binaries (initdb, pg_ctl on PATH " +
            "or under /usr/lib/postgresql/*/bin); none were found. Install the server " +
            "(Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`).");
        return LocalCluster.StartAsync(bin, durableCommits: true);
    }

    private static async Task<string> QueryVersionAsync(string connectionString, string what)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return connection.ServerVersion.Split(' ')[0]; // "15.14 (Debian 15.14-0+deb12u1)" -> "15.14"
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"Cannot connect to {what}: {e.Message}", e);
        }
    }

    private const string StaleMarker = "gatewaystorage test database, created ";

    /// <summary>Drops databases earlier test runs created on the shared server more than a day ago.</summary>
    private async Task DropStaleDatabasesAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            var stale = new List<string>();
            await using (var query = new NpgsqlCommand(
                "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database " +
                "WHERE shobj_description(oid, 'pg_database') LIKE @marker",
                connection))
            {
                query.Parameters.AddWithValue("marker", StaleMarker + "%");
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var created = reader.GetString(1)[StaleMarker.Length..];
                    if (DateTime.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when)
                        && when < DateTime.UtcNow.AddDays(-1))
                    {
                        stale.Add(reader.GetString(0));
                    }
                }
            }

            foreach (var name in stale)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                try
                {
                    await drop.ExecuteNonQueryAsync();
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
                {
                    // Still in use by someone: leave it.
                }
            }
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"Could not drop stale test databases on {EnvironmentVariable}: {e.Message}");
        }
    }

    // ---- connection strings -------------------------------------------------------------------------

    /// <summary>Reads a libpq URL (postgresql://user:pw@host:port/db?k=v) or an Npgsql connection string.</summary>
    private static NpgsqlConnectionStringBuilder ParseConnection(string value)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : value[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("postgresql" or "postgres"))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException(
                    $"{EnvironmentVariable} is neither a postgresql:// URL nor a valid Npgsql connection string: {e.Message}",
                    e);
            }
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var rest = value[(schemeEnd + 3)..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var database = Uri.UnescapeDataString(rest[(slash + 1)..]);
            if (database.Length > 0)
            {
                builder.Database = database;
            }

            rest = rest[..slash];
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        // rest is host[:port], with IPv6 hosts in brackets.
        string host;
        string? port = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = rest[1..close];
            if (close + 1 < rest.Length && rest[close + 1] == ':')
            {
                port = rest[(close + 2)..];
            }
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            port = colon < 0 ? null : rest[(colon + 1)..];
        }

        if (host.Length > 0)
        {
            builder.Host = Uri.UnescapeDataString(host);
        }

        if (!string.IsNullOrEmpty(port))
        {
            builder.Port = int.Parse(port, CultureInfo.InvariantCulture);
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var v = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            switch (key)
            {
                case "host": builder.Host = v; break;
                case "port": builder.Port = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "user": builder.Username = v; break;
                case "password": builder.Password = v; break;
                case "dbname": builder.Database = v; break;
                case "sslmode": builder.SslMode = Enum.Parse<SslMode>(v.Replace("-", "", StringComparison.Ordinal), true); break;
                case "sslrootcert": builder.RootCertificate = v; break;
                case "connect_timeout": builder.Timeout = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "application_name": builder.ApplicationName = v; break;
                case "options": builder.Options = v; break;
                default:
                    throw new InvalidOperationException($"{EnvironmentVariable}: unsupported URL parameter '{key}'.");
            }
        }

        builder.Host ??= "localhost";
        return builder;
    }

    private static string ToUrl(NpgsqlConnectionStringBuilder server, string database)
    {
        var url = new StringBuilder("postgresql://");
        url.Append(Uri.EscapeDataString(server.Username ?? Environment.UserName));
        if (!string.IsNullOrEmpty(server.Password))
        {
            url.Append(':').Append(Uri.EscapeDataString(server.Password));
        }

        var host = server.Host ?? "localhost";
        url.Append('@');
        if (host.Contains('/', StringComparison.Ordinal))
        {
            url.Append(Uri.EscapeDataString(host)); // Unix-domain socket directory
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            url.Append('[').Append(host).Append(']');
        }
        else
        {
            url.Append(host);
        }

        url.Append(':').Append(server.Port.ToString(CultureInfo.InvariantCulture)).Append('/').Append(database);
        if (server.SslMode != SslMode.Prefer)
        {
            var mode = server.SslMode switch
            {
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                var other => other.ToString().ToLowerInvariant(),
            };
            url.Append("?sslmode=").Append(mode);
        }

        return url.ToString();
    }

    // ---- local throwaway cluster --------------------------------------------------------------------

    internal static string? FindBinaries()
    {
        static bool Has(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && Has(dir))
            {
                // Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) so
                // that initdb finds the postgres binary next to it.
                var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
                var real = target is null ? dir : Path.GetDirectoryName(target.FullName)!;
                return Has(real) ? real : dir;
            }
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.EnumerateDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
            .Where(x => x.Version is not null && Has(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var v) ? v : null;

    /// <summary>A throwaway cluster in a directory of its own under /tmp, run by pg_ctl.</summary>
    internal sealed class LocalCluster : IAsyncDisposable
    {
        private readonly string bin;
        private readonly string dir;
        private readonly bool asPostgresUser;
        private string serverOptions = "";
        private bool durableCommits;
        private PostgresServer? server;

        private LocalCluster(string bin, string dir, bool asPostgresUser)
        {
            this.bin = bin;
            this.dir = dir;
            this.asPostgresUser = asPostgresUser;
        }

        private string DataDir => Path.Combine(dir, "data");

        /// <summary>The server's port.</summary>
        public int Port => Server.Port;

        /// <summary>The directory of the server's Unix socket (a host for clients on this machine).</summary>
        public string SocketDirectory => dir;

        /// <summary>
        /// Starts a streaming standby of this cluster (<c>pg_basebackup -R</c>: a directory of its own, a free port, the
        /// same settings), waits until it accepts read-only connections, and returns it; dispose it to remove it.
        /// </summary>
        public async Task<LocalCluster> StartStandbyAsync()
        {
            var watch = Stopwatch.StartNew();
            var standby = new LocalCluster(bin, NewDirectory(), asPostgresUser);
            try
            {
                await standby.StartWatchdogAsync();
                await standby.ChownAsync();
                var backup = await RunAsync(
                    Path.Combine(bin, "pg_basebackup"),
                    ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", standby.DataDir, "-R", "-X", "stream", "--no-sync"],
                    asPostgresUser,
                    standby.dir);
                if (backup.ExitCode != 0)
                {
                    throw new InvalidOperationException($"pg_basebackup of the cluster on port {Port} failed (exit {backup.ExitCode}): {backup.Output}");
                }

                standby.server = await standby.StartOnFreePortAsync(watch, durableCommits, "standby");
                return standby;
            }
            catch
            {
                standby.StopAndDelete();
                throw;
            }
        }

        /// <summary><c>pg_ctl promote</c>: the standby becomes a primary; waits until it accepts writes.</summary>
        public Task PromoteAsync() => PgCtlAsync("promote", ["-w", "-t", "60"]);

        private string LogFile => Path.Combine(dir, "log");

        /// <summary>The running cluster, to create databases on.</summary>
        public PostgresServer Server => server ?? throw new InvalidOperationException("The cluster has not started.");

        /// <summary><c>pg_ctl restart -m <paramref name="mode"/></c>: stops the server and waits until it accepts connections again.</summary>
        public Task RestartAsync(string mode = "fast") =>
            PgCtlAsync("restart", ["-m", mode, "-o", serverOptions, "-l", LogFile, "-w", "-t", "60"]);

        /// <summary><c>pg_ctl stop -m <paramref name="mode"/></c> ("immediate" is a crash: no shutdown checkpoint).</summary>
        public Task StopAsync(string mode = "fast") => PgCtlAsync("stop", ["-m", mode, "-w", "-t", "60"]);

        /// <summary>Starts the stopped server again on the same port and waits until it accepts connections.</summary>
        public Task StartAgainAsync() => PgCtlAsync("start", ["-o", serverOptions, "-l", LogFile, "-w", "-t", "60"]);

        public ValueTask DisposeAsync()
        {
            StopAndDelete();
            return ValueTask.CompletedTask;
        }

        private async Task PgCtlAsync(string action, IReadOnlyList<string> args)
        {
            var result = await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDir, .. args, action], asPostgresUser, dir);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"pg_ctl {action} failed (exit {result.ExitCode}): {result.Output}\nServer log (tail):\n{LogTail()}");
            }

            // The pooled admin connections died with the server.
            if (server is not null)
            {
                await using var admin = new NpgsqlConnection(server.AdminConnectionString);
                NpgsqlConnection.ClearPool(admin);
            }
        }

        /// <param name="bin">The directory of initdb and pg_ctl.</param>
        /// <param name="durableCommits">
        /// Whether a commit waits for its WAL to be written (<c>synchronous_commit=on</c>): a test that kills the server
        /// (<c>-m immediate</c>) and then counts acknowledged writes needs it. <c>fsync</c> stays off either way: the
        /// operating system does not crash, so what the server wrote survives it.
        /// </param>
        public static async Task<LocalCluster> StartAsync(string bin, bool durableCommits = false)
        {
            var watch = Stopwatch.StartNew();
            var asPostgresUser = await IsRootAsync();
            if (asPostgresUser && (await RunAsync("id", ["-u", "postgres"], false, null)).ExitCode != 0)
            {
                throw new InvalidOperationException(
                    "The tests run as root, and PostgreSQL refuses to run as root, but there is no 'postgres' OS " +
                    "user to run it as. Create one (`useradd --system --user-group postgres`) or set " +
                    $"{EnvironmentVariable}.");
            }

            var cluster = new LocalCluster(bin, NewDirectory(), asPostgresUser);
            try
            {
                await cluster.StartWatchdogAsync();
                cluster.server = await cluster.InitAndStartAsync(watch, durableCommits);
                return cluster;
            }
            catch
            {
                cluster.StopAndDelete();
                throw;
            }
        }

        /// <summary>A new directory under /tmp that only this user (and then the postgres user) may enter.</summary>
        internal static string NewDirectory()
        {
            var parent = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp"; // readable for the postgres user
            var dir = Path.Combine(parent, "gs-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return dir;
        }

        private async Task ChownAsync()
        {
            if (asPostgresUser)
            {
                var chown = await RunAsync("chown", ["-R", "postgres:", dir], false, null);
                if (chown.ExitCode != 0)
                {
                    throw new InvalidOperationException($"chown -R postgres: {dir} failed: {chown.Output}");
                }
            }
        }

        private async Task<PostgresServer> InitAndStartAsync(Stopwatch watch, bool durableCommits)
        {
            await ChownAsync();

            var initdb = await InitDbAsync("C.UTF-8");
            if (initdb.ExitCode != 0)
            {
                // C.UTF-8 may be missing on old systems; plain C always exists.
                var retry = await InitDbAsync("C");
                if (retry.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"initdb failed (exit {retry.ExitCode}):\n{retry.Output}\n" +
                        $"(with --locale=C.UTF-8 it said:\n{initdb.Output})");
                }
            }

            return await StartOnFreePortAsync(watch, durableCommits, "cluster");
        }

        private async Task<PostgresServer> StartOnFreePortAsync(Stopwatch watch, bool durableCommits, string what)
        {
            this.durableCommits = durableCommits;
            var errors = new StringBuilder();
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var port = FreePort();
                var options = string.Join(' ',
                    $"-p {port.ToString(CultureInfo.InvariantCulture)}",
                    $"-k \"{dir}\"",
                    "-c listen_addresses=127.0.0.1",
                    "-c fsync=off",
                    durableCommits ? "-c synchronous_commit=on" : "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=300");
                serverOptions = options;
                var start = await RunAsync(
                    Path.Combine(bin, "pg_ctl"),
                    ["-D", DataDir, "-o", options, "-l", LogFile, "-w", "-t", "60", "start"],
                    asPostgresUser,
                    dir);
                if (start.ExitCode == 0)
                {
                    var builder = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        Username = "postgres",
                        Database = "postgres",
                        Timeout = 30,
                        CommandTimeout = 120,
                    };
                    string version;
                    try
                    {
                        version = await QueryVersionAsync(builder.ConnectionString, "the test cluster");
                    }
                    catch (InvalidOperationException e)
                    {
                        throw new InvalidOperationException($"{e.Message}\nServer log:\n{LogTail()}", e);
                    }

                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"PostgreSQL {version} test {what} started on 127.0.0.1:{port} (data in {dir}) " +
                        $"in {watch.ElapsedMilliseconds} ms"));
                    return new PostgresServer(builder, version, shared: false);
                }

                var log = LogTail();
                errors.Append(CultureInfo.InvariantCulture, $"port {port}: pg_ctl exit {start.ExitCode}: {start.Output}\n");
                if (!log.Contains("could not bind", StringComparison.Ordinal) || attempt == 3)
                {
                    throw new InvalidOperationException(
                        $"The PostgreSQL test cluster in {dir} did not start.\n{errors}Server log (tail):\n{log}");
                }

                // Another process took the port between FreePort() and the bind: try another one.
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "stop"], asPostgresUser, dir);
            }

            throw new UnreachableException();
        }

        /// <summary>
        /// The test runner (vstest) kills the test host shortly after the last test, usually before the
        /// ProcessExit handler is done; so a detached shell waits for this process to end and then stops
        /// the cluster (SIGQUIT to the postmaster is an immediate shutdown) and deletes its directory.
        /// </summary>
        private async Task StartWatchdogAsync()
        {
            const string watch = """
                while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
                pid=$(head -n 1 "$2/data/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null
                i=0
                while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
                rm -rf "$2"
                """;
            var result = await RunAsync(
                "/bin/sh",
                ["-c", "\"$@\" </dev/null >/dev/null 2>&1 &", "sh", "/bin/sh", "-c", watch, "gs-pg-watchdog",
                    Environment.ProcessId.ToString(CultureInfo.InvariantCulture), dir],
                false,
                "/");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"Could not start the clean-up watchdog: {result.Output}");
            }
        }

        private Task<ProcessResult> InitDbAsync(string locale)
        {
            if (Directory.Exists(DataDir))
            {
                Directory.Delete(DataDir, recursive: true);
            }

            return RunAsync(
                Path.Combine(bin, "initdb"),
                ["-D", DataDir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", $"--locale={locale}"],
                asPostgresUser,
                dir);
        }

        private string LogTail()
        {
            try
            {
                var lines = File.ReadAllLines(LogFile);
                return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
            }
            catch (IOException e)
            {
                return $"(no log: {e.Message})";
            }
            catch (UnauthorizedAccessException e)
            {
                return $"(no log: {e.Message})";
            }
        }

        public void StopAndDelete()
        {
            try
            {
                if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
                {
                    RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"], asPostgresUser, dir)
                        .GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"Could not stop the PostgreSQL test cluster in {dir}: {e.Message}");
            }

            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Could not delete {dir}: {e.Message}");
            }
        }

        internal static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }

        internal static async Task<bool> IsRootAsync()
        {
            if (OperatingSystem.IsWindows())
            {
                return false;
            }

            if (Environment.UserName == "root")
            {
                return true;
            }

            var id = await RunAsync("id", ["-u"], false, null);
            return id.ExitCode == 0 && id.Output.Trim() == "0";
        }
    }

    // ---- processes ----------------------------------------------------------------------------------

    internal readonly record struct ProcessResult(int ExitCode, string Output);

    /// <summary>Runs a program (as the postgres OS user if asked) and returns its exit code and output.</summary>
    internal static async Task<ProcessResult> RunAsync(
        string program, IReadOnlyList<string> args, bool asPostgresUser, string? workingDirectory)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        if (!asPostgresUser)
        {
            info.FileName = program;
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
        }
        else if (File.Exists("/usr/sbin/runuser") || File.Exists("/sbin/runuser"))
        {
            info.FileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "/sbin/runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
            info.FileName = "su";
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add("/bin/sh");
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec " + string.Join(' ', new[] { program }.Concat(args).Select(Quote)));
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run {info.FileName}: {e.Message}", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} did not finish within 120 s.");
        }

        var output = (await stdout + await stderr).Trim();
        return new ProcessResult(process.ExitCode, output);
    }
}
