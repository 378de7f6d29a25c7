using System.Diagnostics;
using System.Net.Http.Headers;

namespace GatewayStorage.AspNetCore.Benchmarks;

/// <summary>One timed round: <c>clients</c> workers each sending requests back to back to one path for a fixed time.</summary>
internal static class LoadRound
{
    public static async Task<RoundResult> RunAsync(HttpClient http, Uri address, string path, string[] keys, int clients, TimeSpan duration)
    {
        var latencies = new List<long>[clients];
        var failures = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var own = latencies[worker] = new List<long>(4096);
            // The floor sends no key: UseAuthentication would otherwise verify it on every request, floor included.
            var auth = path == "/floor" ? null : new AuthenticationHeaderValue("Bearer", keys[worker % keys.Length]);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, path));
                request.Headers.Authorization = auth;
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                own.Add(Stopwatch.GetTimestamp() - sent);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var p99 = all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(all.Length * 0.99) - 1)];
        return new RoundResult(all.Length / elapsed.TotalSeconds, TimeSpan.FromSeconds((double)p99 / Stopwatch.Frequency),
            all.Length == 0 ? 0 : allocated / all.Length, failures);
    }
}

/// <summary>Requests per second, 99th-percentile latency, bytes allocated per request (client and server, one process), failures.</summary>
internal sealed record RoundResult(double RequestsPerSecond, TimeSpan P99, long BytesPerRequest, int Failures);
