using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GatewayStorage.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// Failover on a real primary and synchronous standby (a pair of this class's own): the primary is killed under a
/// write load, the standby promoted, and the same provider (never recreated), whose URL lists both hosts, resumes
/// writing on the new primary.
/// </summary>
public sealed class PostgresFailoverTests(SynchronousStandbyFixture fixture, ITestOutputHelper output) : IClassFixture<SynchronousStandbyFixture>
{
    private const int Workers = 8;

    [Fact]
    public async Task After_the_primary_dies_and_the_standby_is_promoted_the_same_provider_writes_again_failing_only_transiently_and_losing_no_acknowledged_write()
    {
        var db = fixture.Provider;
        var primary = await fixture.PrimaryAsync();
        var standby = await fixture.StandbyAsync();
        var acknowledged = new ConcurrentBag<Guid>();
        var failures = new ConcurrentQueue<(Exception Error, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var succeededAt = new ConcurrentQueue<TimeSpan>();
        var stoppedAtTicks = long.MaxValue;
        var promotedAtTicks = long.MaxValue;
        var successesAfterPromotion = 0;
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var user = await db.CreateUserAsync(new NewUser(Unique.Email("failover")));
                    acknowledged.Add(user.Id);
                    var now = clock.Elapsed;
                    succeededAt.Enqueue(now);
                    if (now.Ticks > Interlocked.Read(ref promotedAtTicks))
                    {
                        Interlocked.Increment(ref successesAfterPromotion);
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue((e, clock.Elapsed));
                    await Task.Delay(20); // a caller backs off a little before it tries again
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acknowledged.Count >= 100, "the load to start");
        Interlocked.Exchange(ref stoppedAtTicks, clock.Elapsed.Ticks);
        await primary.StopAsync("immediate");
        await standby.PromoteAsync();
        Interlocked.Exchange(ref promotedAtTicks, clock.Elapsed.Ticks);
        await WaitUntilAsync(() => Volatile.Read(ref successesAfterPromotion) >= 8 * Workers, "writes to succeed on the new primary");
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        // Every acknowledged write is on the new primary.
        await using var promoted = await ReplicatedPostgresFixture.OpenAsync(standby, fixture.Url);
        await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM users WHERE id = ANY(@ids)", promoted);
        count.Parameters.AddWithValue("ids", acknowledged.ToArray());
        var lost = acknowledged.Count - (long)(await count.ExecuteScalarAsync())!;
        var stoppedAt = TimeSpan.FromTicks(stoppedAtTicks);
        var promotedAt = TimeSpan.FromTicks(promotedAtTicks);
        // The outage starts with the first failure after the kill, and ends with the first success after that.
        var outageStart = failures.Select(f => f.At).Where(at => at >= stoppedAt).DefaultIfEmpty(stoppedAt).Min();
        var firstSuccess = succeededAt.Where(at => at > outageStart).Min() - stoppedAt;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Workers} writers: {acknowledged.Count} writes acknowledged, {failures.Count} failed calls, writes lost: {lost}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"primary killed at {stoppedAt.TotalSeconds:0.00} s, standby promoted {(promotedAt - stoppedAt).TotalSeconds:0.00} s later; " +
            $"writes succeeded again {firstSuccess.TotalSeconds:0.00} s after the kill"));
        foreach (var group in failures.GroupBy(f => f.Error.GetType().Name + ": " + f.Error.Message).Take(6))
        {
            output.WriteLine($"  {group.Count()} x {group.Key}");
        }

        Assert.All(failures, f => Assert.True(f.Error is StorageUnavailableException { IsTransient: true }, f.Error.ToString()));
        Assert.Equal(0, lost);
        Assert.True(successesAfterPromotion >= 8 * Workers);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
