using Dapper;
using GatewayStorage.Tests.Conformance;

namespace GatewayStorage.Tests.Cli;

/// <summary>
/// Eight <c>gateway-storage migrate</c> processes started at once against one new database, as eight instances of a
/// gateway deploying together would: every process succeeds and every script is applied exactly once (through
/// PgBouncer in transaction mode too, where no session-level lock could hold).
/// </summary>
public abstract class ConcurrentMigrateProcessesConformance<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IDisposable
    where TFixture : class, IStorageFixture
{
    private const int Processes = 8;

    private readonly string _folder = Directory.CreateTempSubdirectory("gs-cli-migrate-").FullName;

    [Fact]
    public async Task Eight_migrate_processes_at_once_all_succeed_and_apply_each_script_exactly_once()
    {
        var url = await fixture.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => CliProcess.RunAsync(_folder, environment: null, "migrate", "--url", url)));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.ToString()));
        await using var raw = await fixture.OpenRawConnectionAsync(url);
        var versions = (await raw.QueryAsync<long>("SELECT CAST(version AS BIGINT) FROM schema_migrations ORDER BY version")).ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(versions.Distinct(), versions);
        Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);

        // Between them the processes applied every script once; the others found nothing left to do.
        var applied = runs.Sum(run => run.Output.Split('\n').Count(line => line.Contains("applied 0", StringComparison.Ordinal)));
        Assert.Equal(versions.Count, applied);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteConcurrentMigrateProcessesTests(SqliteFixture fixture) : ConcurrentMigrateProcessesConformance<SqliteFixture>(fixture);

public sealed class PostgresConcurrentMigrateProcessesTests(PostgresFixture fixture) : ConcurrentMigrateProcessesConformance<PostgresFixture>(fixture);

public sealed class PgBouncerConcurrentMigrateProcessesTests(PgBouncerFixture fixture) : ConcurrentMigrateProcessesConformance<PgBouncerFixture>(fixture);
