using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.Sqlite;

/// <summary>Writers of one SQLite file take turns on one in-process lock, across every provider over that file.</summary>
public sealed class SqliteWriterLockTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Sixty_four_tasks_writing_through_two_providers_over_one_file_all_succeed_and_lose_no_increment()
    {
        var url = await fixture.CreateDatabaseAsync();
        await using var first = fixture.CreateProvider(url);
        await first.MigrateAsync();
        await using var second = fixture.CreateProvider(url);
        var user = await first.CreateUserAsync(new NewUser("writers@example.org", "Writers"));
        var key = await first.CreateApiKeyAsync(new NewApiKey(user.Id, "load"));
        fixture.RegisterSecret(key.Secret);
        var window = TimeSpan.FromDays(1);

        var writers = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var db = i % 2 == 0 ? first : second;
            for (var n = 0; n < 20; n++)
            {
                await db.IncrementApiKeyUsageAsync(key.Key.Id, window);
                Assert.NotNull(await db.VerifyApiKeyAsync(key.Secret));
            }
        }));
        await Task.WhenAll(writers);

        var usage = await second.GetApiKeyUsageAsync(key.Key.Id, DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(64 * 20, usage.Sum(u => u.Count));
    }
}
