using System.Globalization;
using System.Text;
using GatewayStorage.AspNetCore.Benchmarks;
using GatewayStorage.Tests.Infrastructure;

// The authenticated request path (API-key scheme + per-key rate limit + endpoint) against the same endpoint without
// authentication, over loopback HTTP on Kestrel, on SQLite and PostgreSQL, at 1, 8 and 32 concurrent clients, in paired
// rounds (the variants interleaved, so load on the machine hits them alike). Usage:
//   dotnet run -c Release --project benchmarks/Storage.AspNetCore.Benchmarks -- [--rounds N] [--seconds S] [--engine sqlite|postgres] [--output FILE]
var rounds = 5;
string? only = null;
var seconds = 1.0;
var output = Path.Combine(FindRepositoryRoot(), "benchmarks", "ASPNET-RESULTS.md");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds" when i + 1 < args.Length:
            rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--seconds" when i + 1 < args.Length:
            seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--engine" when i + 1 < args.Length:
            only = args[++i];
            break;
        case "--output" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine("dotnet run -c Release --project benchmarks/Storage.AspNetCore.Benchmarks -- [--rounds N] [--seconds S] [--engine sqlite|postgres] [--output FILE]");
            return 2;
    }
}

var encryptionKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
var folder = Directory.CreateTempSubdirectory("gs-aspnet-bench-").FullName;
string[] variants = ["/floor", "/auth", "/auth-limited"];
int[] concurrencies = [1, 8, 32];
var loadBefore = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
var report = new StringBuilder();
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
    foreach (var engine in new[] { "SQLite", "PostgreSQL" }.Where(e => only is null || e.StartsWith(only, StringComparison.OrdinalIgnoreCase)))
    {
        var url = engine == "SQLite"
            ? $"sqlite:{Path.Combine(folder, "gateway.db")}"
            : await (await PostgresServer.GetAsync()).CreateDatabaseAsync("aspnetbench");
        await using var gateway = await BenchmarkGateway.StartAsync(url, encryptionKey, keyCount: 32);

        // Warm-up: JIT, connection pools, prepared statements.
        foreach (var path in variants)
        {
            await LoadRound.RunAsync(http, gateway.Address, path, gateway.Keys, 8, TimeSpan.FromSeconds(Math.Min(1, seconds)));
        }

        foreach (var clients in concurrencies)
        {
            var results = variants.ToDictionary(v => v, _ => new List<RoundResult>());
            for (var round = 0; round < rounds; round++)
            {
                // Interleaved, with the order turned each round so no variant always runs first.
                for (var k = 0; k < variants.Length; k++)
                {
                    var path = variants[(k + round) % variants.Length];
                    results[path].Add(await LoadRound.RunAsync(http, gateway.Address, path, gateway.Keys, clients, TimeSpan.FromSeconds(seconds)));
                }
            }

            var floor = results["/floor"];
            foreach (var path in variants)
            {
                var list = results[path];
                var ratios = list.Select((r, i) => r.RequestsPerSecond / floor[i].RequestsPerSecond).Order().ToArray();
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"| {engine} | {clients} | `{path}` | {Median(list.Select(r => r.RequestsPerSecond)):N0} | {Median(list.Select(r => r.P99.TotalMilliseconds)):F2} | {Median(list.Select(r => (double)r.BytesPerRequest)):N0} | {ratios[ratios.Length / 2]:F2} ({ratios[0]:F2}–{ratios[^1]:F2}) | {list.Sum(r => r.Failures)} |");
                Console.WriteLine(line);
                report.AppendLine(line);
            }
        }
    }
}
finally
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
        // Left for the OS to clean.
    }
}

var loadAfter = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
var header = string.Create(CultureInfo.InvariantCulture, $"""
    # ASP.NET Core: the authenticated request path

    Written by `dotnet run -c Release --project benchmarks/Storage.AspNetCore.Benchmarks` ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC,
    {Environment.ProcessorCount} logical cores, {rounds} paired rounds of {seconds:0.##} s per variant and concurrency).
    Load average (`/proc/loadavg`) before the run: `{loadBefore}`; after: `{loadAfter}`.

    One process: Kestrel on 127.0.0.1 and an HttpClient driving it (HTTP/1.1, keep-alive), so the client's cost is in every
    row alike. The same endpoint (`Results.Text("ok")`) three ways: `/floor` without authentication and no key sent (the floor),
    `/auth` behind the API-key scheme (verify the key: one indexed read; the user and its roles: two more), and
    `/auth-limited` with the per-key rate limit too (one `IncrementApiKeyUsageAsync` write per request; the limit is never
    reached). Each client worker presents its own user's key. Req/s and p99 are medians over the rounds; B/req is
    bytes allocated in the process per request (client and server); "ratio to floor" is the median of the per-round ratios
    of req/s to the floor's in the same round (min–max in brackets).

    | engine | clients | path | req/s | p99 ms | B/req | ratio to floor | non-2xx |
    | --- | --- | --- | --- | --- | --- | --- | --- |

    """);
await File.WriteAllTextAsync(output, header + report);
Console.WriteLine($"Wrote {output}.");
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Storage.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
