using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// A real PostgreSQL server restarted and stopped under the library, on a cluster of this class's own: callers fail
/// only while the server is away, every failure is a transient <see cref="StorageException"/>, and no acknowledged
/// write is lost.
/// </summary>
public sealed class PostgresRestartTests(RestartablePostgresFixture fixture, ITestOutputHelper output)
    : IClassFixture<RestartablePostgresFixture>
{
    private const string LibraryBackends =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'GatewayStorage'";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    // Longer than the quiet time after which a write checks its connection first.
    private static readonly TimeSpan IdleTime = GatewayStorage.Postgres.PostgresDialect.IdleBeforePing + TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Reads_after_a_fast_restart_while_idle_all_succeed_and_so_do_the_writes_after_them()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (db, url, data) = await CreateAsync(time);
        var pooled = await FillThePoolAsync(db, url, data.User.Id);
        var cluster = await fixture.ClusterAsync();
        time.Advance(IdleTime); // the application is idle: nothing tells it the server went away

        await cluster.RestartAsync("fast");

        var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => ReadAsync(db, data, i))));
        var writes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => WriteAsync(db, data, i))));

        output.WriteLine($"{pooled} pooled idle connections before the restart");
        Assert.All(reads, Assert.True);
        Assert.All(writes, Assert.True);
    }

    [Fact]
    public async Task Writes_right_after_a_fast_restart_while_idle_all_succeed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (db, url, data) = await CreateAsync(time);
        var pooled = await FillThePoolAsync(db, url, data.User.Id);
        var cluster = await fixture.ClusterAsync();
        time.Advance(IdleTime); // the application is idle: nothing tells it the server went away

        await cluster.RestartAsync("fast");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                return (Ok: await WriteAsync(db, data, i), Error: (Exception?)null);
            }
            catch (Exception e)
            {
                return (Ok: false, Error: e);
            }
        })));

        var failed = results.Where(r => r.Error is not null).ToList();
        output.WriteLine($"{pooled} pooled idle connections before the restart; {failed.Count} of 16 writes right after it failed");
        foreach (var (_, error) in failed.Take(3))
        {
            output.WriteLine(error!.ToString());
        }

        Assert.All(failed, f => Assert.IsType<StorageUnavailableException>(f.Error));

        Assert.Empty(failed);
        Assert.All(results, r => Assert.True(r.Ok));
    }

    [Fact]
    public async Task Under_load_through_a_fast_restart_and_an_immediate_stop_callers_fail_transiently_recover_and_lose_no_acknowledged_write()
    {
        var (db, _, data) = await CreateAsync();
        var cluster = await fixture.ClusterAsync();
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(i => Task.Run(() => load.WriteLoopAsync(db, data.Key.Key.Id, i, stop.Token)))
            .Concat(Enumerable.Range(0, 8).Select(i => Task.Run(() => load.ReadLoopAsync(db, data, i, stop.Token))))
            .ToArray();

        await Task.Delay(500);
        var restartAt = load.Now;
        await cluster.RestartAsync("fast");
        var restartBackAt = load.Now;
        await Task.Delay(750);
        var crashAt = load.Now;
        await cluster.StopAsync("immediate");
        await Task.Delay(500);
        await cluster.StartAgainAsync();
        var crashBackAt = load.Now;
        await Task.Delay(1500);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var users = await Task.WhenAll(load.AcknowledgedUsers.Select(id => db.GetUserAsync(id)));
        var usage = await db.GetApiKeyUsageAsync(data.Key.Key.Id, data.Start - Day, DateTimeOffset.UtcNow + Day);
        var counted = usage.Sum(u => u.Count);
        var missingUsers = users.Count(u => u is null);
        var lostIncrements = Math.Max(0, load.AcknowledgedIncrements - counted);
        var failures = load.Failures.ToList();
        var restartRecovery = load.FirstSuccessAfter(restartBackAt) - restartBackAt;
        var crashRecovery = load.FirstSuccessAfter(crashBackAt) - crashBackAt;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls: {load.Successes} succeeded, {failures.Count} failed ({failures.Count(f => f.IsWrite)} writes, " +
            $"{failures.Count(f => !f.IsWrite)} reads); failed after the server was back: " +
            $"{failures.Count(f => f.StartedAt > restartBackAt && f.StartedAt < crashAt) + failures.Count(f => f.StartedAt > crashBackAt)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fast restart took {(restartBackAt - restartAt).TotalSeconds:0.000} s, first success {restartRecovery.TotalSeconds:0.000} s after it was back; " +
            $"immediate stop + start: first success {crashRecovery.TotalSeconds:0.000} s after it was back"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"acknowledged: {load.AcknowledgedUsers.Count} users ({missingUsers} missing), {load.AcknowledgedIncrements} increments " +
            $"(counter {counted}, {lostIncrements} lost, {load.FailedIncrements} failed increments in doubt)"));
        foreach (var group in failures.GroupBy(f => f.Error.GetType().Name + ": " + f.Error.Message).Take(8))
        {
            output.WriteLine($"  {group.Count()} x {group.Key}");
        }

        Assert.All(failures, f => Assert.True(f.Error is StorageException { IsTransient: true }, f.Error.ToString()));
        Assert.True(load.Successes > 0);
        Assert.True(restartRecovery < TimeSpan.FromSeconds(10), $"no call succeeded within 10 s of the restart ({restartRecovery})");
        Assert.True(crashRecovery < TimeSpan.FromSeconds(10), $"no call succeeded within 10 s of the start ({crashRecovery})");
        Assert.Equal(0, missingUsers);
        Assert.Equal(0, lostIncrements);

        // A failed increment may have been applied (the server died between its commit and the reply); none is applied twice.
        Assert.InRange(counted, load.AcknowledgedIncrements, load.AcknowledgedIncrements + load.FailedIncrements);
    }

    private async Task<(IDatabaseProvider Db, string Url, Data Data)> CreateAsync(TimeProvider? time = null)
    {
        var url = await fixture.CreateDatabaseAsync();
        var db = fixture.CreateProvider(url, options => options.CommandTimeout = TimeSpan.FromSeconds(10), time);
        await db.MigrateAsync();
        var start = (time ?? TimeProvider.System).GetUtcNow();
        var user = await db.CreateUserAsync(new NewUser("restart@example.org", "Restart", IsActive: true));
        var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "restart"));
        fixture.RegisterSecret(key.Secret);
        await db.SetConfigAsync("restart", JsonDocument.Parse("""{"on":true}""").RootElement);
        return (db, url, new Data(user, key, start));
    }

    /// <summary>Makes the provider open more than 8 connections at once, and leaves them idle in the pool.</summary>
    private async Task<long> FillThePoolAsync(IDatabaseProvider db, string url, Guid userId)
    {
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        await using (var locker = await fixture.OpenRawConnectionAsync(url))
        await using (var transaction = await locker.BeginTransactionAsync())
        {
            // Every caller holds a connection of its own while it waits for the lock.
            await locker.ExecuteAsync("LOCK TABLE users IN ACCESS EXCLUSIVE MODE", transaction: transaction);
            var callers = Enumerable.Range(0, 12).Select(_ => Task.Run(() => db.GetUserAsync(userId))).ToArray();
            await WaitUntilAsync(async () => await raw.ExecuteScalarAsync<long>(LibraryBackends) >= 12);
            await transaction.CommitAsync();
            await Task.WhenAll(callers);
        }

        var pooled = await raw.ExecuteScalarAsync<long>(LibraryBackends);
        Assert.True(pooled >= 8, $"only {pooled} pooled connections");
        return pooled;
    }

    private static async Task<bool> ReadAsync(IDatabaseProvider db, Data data, int i) => (i % 4) switch
    {
        0 => (await db.GetUserAsync(data.User.Id))?.Id == data.User.Id,
        1 => (await db.VerifyApiKeyAsync(data.Key.Secret))?.Id == data.Key.Key.Id,
        2 => (await db.GetConfigAsync("restart")) is not null,
        _ => (await db.ListUsersAsync(UserQuery.All, PageRequest.First)).Items.Count >= 1,
    };

    private static async Task<bool> WriteAsync(IDatabaseProvider db, Data data, int i) => (i % 3) switch
    {
        0 => await db.RecordLoginAsync(data.User.Id),
        1 => await db.IncrementApiKeyUsageAsync(data.Key.Key.Id, Day) >= 1,
        _ => (await db.CreateUserAsync(new NewUser($"w{i}-{Guid.NewGuid():N}@example.org", "Writer", IsActive: true))).Id != Guid.Empty,
    };

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 seconds");
            await Task.Delay(50);
        }
    }

    private sealed record Data(User User, CreatedApiKey Key, DateTimeOffset Start);

    private sealed record Failure(bool IsWrite, TimeSpan StartedAt, Exception Error);

    /// <summary>What the workers did: every acknowledged write, every failure, and when calls succeeded.</summary>
    private sealed class Load
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ConcurrentBag<TimeSpan> _successes = [];
        private int _acknowledgedIncrements;
        private int _failedIncrements;

        public TimeSpan Now => _clock.Elapsed;

        public ConcurrentBag<Guid> AcknowledgedUsers { get; } = [];

        public ConcurrentBag<Failure> Failures { get; } = [];

        public int AcknowledgedIncrements => Volatile.Read(ref _acknowledgedIncrements);

        public int FailedIncrements => Volatile.Read(ref _failedIncrements);

        public int Successes => _successes.Count;

        public TimeSpan FirstSuccessAfter(TimeSpan moment) =>
            _successes.Where(s => s >= moment).DefaultIfEmpty(TimeSpan.MaxValue - moment).Min();

        public async Task WriteLoopAsync(IDatabaseProvider db, Guid keyId, int worker, CancellationToken stop)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var increment = worker % 2 == 0;
                var startedAt = Now;
                try
                {
                    if (increment)
                    {
                        await db.IncrementApiKeyUsageAsync(keyId, Day, CancellationToken.None);
                        Interlocked.Increment(ref _acknowledgedIncrements);
                    }
                    else
                    {
                        var user = await db.CreateUserAsync(new NewUser($"load{worker}-{n}-{Guid.NewGuid():N}@example.org", "Load", IsActive: true), CancellationToken.None);
                        AcknowledgedUsers.Add(user.Id);
                    }

                    _successes.Add(Now);
                }
                catch (Exception e)
                {
                    if (increment)
                    {
                        Interlocked.Increment(ref _failedIncrements);
                    }

                    Failures.Add(new Failure(true, startedAt, e));
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }

        public async Task ReadLoopAsync(IDatabaseProvider db, Data data, int worker, CancellationToken stop)
        {
            for (var n = worker; !stop.IsCancellationRequested; n++)
            {
                var startedAt = Now;
                try
                {
                    Assert.True(await ReadAsync(db, data, n));
                    _successes.Add(Now);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    Failures.Add(new Failure(false, startedAt, e));
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }
    }
}
