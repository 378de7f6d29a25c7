using GatewayStorage.Tests.Conformance;
using GatewayStorage.Tests.Support;
using Xunit.Abstractions;

namespace GatewayStorage.Tests.Postgres;

/// <summary>
/// Through a real PgBouncer in transaction mode, many callers share few server sessions, so consecutive transactions
/// of one Npgsql connection run on different server sessions: with <c>pooler=transaction</c> nothing the library sends
/// depends on the session it ran on before. (The whole conformance suite also runs through PgBouncer, as a third leg.)
/// </summary>
public sealed class PgBouncerTransactionPoolingTests(PgBouncerFixture fixture, ITestOutputHelper output) : IClassFixture<PgBouncerFixture>
{
    private const int Callers = 16;
    private const int Rounds = 25;

    [Fact]
    public async Task With_pooler_transaction_concurrent_callers_on_shared_server_sessions_all_succeed()
    {
        var failures = await RunLoadAsync(fixture.Url);

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Without_it_the_same_load_fails_on_statements_prepared_on_another_server_session()
    {
        // The control: the load above is one that auto-prepared statements do not survive.
        var failures = await RunLoadAsync(fixture.Url.Replace("pooler=transaction", "pooler=none", StringComparison.Ordinal));

        output.WriteLine($"{failures.Count} of {Callers * Rounds} rounds failed; first: {failures.FirstOrDefault()?.InnerException?.Message}");
        Assert.NotEmpty(failures);
    }

    /// <summary>Each caller, on a provider of its own URL, verifies an API key and reads a user, many times over.</summary>
    private async Task<List<Exception>> RunLoadAsync(string url)
    {
        await using var db = fixture.CreateProvider(url);
        var user = await db.CreateUserAsync(new NewUser(Unique.Email()));
        var key = await db.CreateApiKeyAsync(new NewApiKey(user.Id, "bouncer"));
        fixture.RegisterSecret(key.Secret);
        var failures = new List<Exception>();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                try
                {
                    Assert.NotNull(await db.VerifyApiKeyAsync(key.Secret));
                    Assert.NotNull(await db.GetUserAsync(user.Id));
                }
                catch (StorageException e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            }
        })));
        return failures;
    }
}
