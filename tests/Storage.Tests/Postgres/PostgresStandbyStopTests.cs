using System.Diagnostics;
using GatewayStorage.Tests.Support;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// <c>read_from=standby</c> when the standby goes away (a cluster pair of this class's own): lag-tolerant reads move to
/// the primary through Npgsql's prefer-standby fallback, and no caller sees a failure.
/// </summary>
public sealed class PostgresStandbyStopTests(StandbyReadsFixture fixture) : IClassFixture<StandbyReadsFixture>
{
    [Fact]
    public async Task A_stopped_standby_sends_lag_tolerant_reads_to_the_primary_without_a_failed_call()
    {
        var db = fixture.Provider;
        _ = await db.CreateUserAsync(new NewUser(Unique.Email()));
        await fixture.WaitForReplayAsync(fixture.Url);
        var primary = (await fixture.PrimaryAsync()).Port;
        var standby = await fixture.StandbyAsync();
        // Before: lag-tolerant reads run on the standby (asked of the server).
        var where = PostgresReadRoutingTests.Track(db);
        await ReadAsync(db, 4);
        Assert.All(where, w => Assert.Equal((true, standby.Port), w));
        PostgresReadRoutingTests.Untrack(db);

        // Four callers read on; connections to the standby sit in the pool, busy or idle, when it stops.
        var failures = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await ReadAsync(db, 2);
                    Interlocked.Increment(ref reads);
                }
                catch (StorageException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => Volatile.Read(ref reads) >= 20);
        await standby.StopAsync("fast");
        var afterStop = Volatile.Read(ref reads);
        await WaitUntilAsync(() => Volatile.Read(ref reads) >= afterStop + 40);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        // After: the same reads run on the primary.
        where = PostgresReadRoutingTests.Track(db);
        await ReadAsync(db, 4);
        PostgresReadRoutingTests.Untrack(db);

        Assert.Equal(0, failures);
        Assert.NotEmpty(where);
        Assert.All(where, w => Assert.Equal((false, primary), w));
        await standby.StartAgainAsync();
    }

    private static async Task ReadAsync(IDatabaseProvider db, int count)
    {
        // Two lag-tolerant reads (a count and a list); user lookups by id or email run on the primary.
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                Assert.True(await db.CountUsersAsync(UserQuery.All) > 0);
            }
            else
            {
                Assert.NotNull((await db.ListUsersAsync(UserQuery.All, PageRequest.First)).Items.FirstOrDefault());
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The readers made no progress within 60 s.");
            await Task.Delay(10);
        }
    }
}
