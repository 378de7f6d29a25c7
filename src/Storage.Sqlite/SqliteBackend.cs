using System.Collections.Concurrent;
using GatewayStorage.Relational;
using GatewayStorage.Security;
using GatewayStorage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GatewayStorage;

/// <summary>
/// The SQLite backend: serves <c>sqlite:</c> URLs. Registered by <c>.AddSqlite()</c>; create it yourself only to
/// build a <see cref="DatabaseProviderFactory"/> without dependency injection.
/// </summary>
public sealed class SqliteBackend : IDatabaseBackend
{
    private const int DefaultPoolSize = 16;

    private static readonly IReadOnlyList<MigrationScript> Migrations =
        MigrationScript.LoadEmbedded(typeof(SqliteBackend).Assembly, "GatewayStorage.Sqlite.Migrations.");

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriterLocks = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes { get; } = ["sqlite"];

    /// <inheritdoc />
    public IDatabaseProvider Create(string url, GatewayStorageOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var path = SqliteUrl.Parse(url);
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("GatewayStorage.Sqlite") ?? NullLogger.Instance;
        var isMemory = path == SqliteUrl.Memory;
        var secrets = StorageSecrets.Resolve(
            options, Name, isMemory ? null : EncryptionKeyFile.PathBeside(path), allowEphemeralKey: isMemory, logger,
            databaseHoldsSecrets: () => SqliteSecretsProbe.HoldsSecrets(path));
        var dataSource = new SqliteDataSource(
            path,
            options.MaxPoolSize > 0 ? options.MaxPoolSize : DefaultPoolSize,
            options.BusyTimeout,
            options.CommandTimeout);

        // One writer lock per database file in this process, shared by every provider over it: SQLite lets one
        // writer in at a time, and writers that queue on this lock wait without holding a thread.
        var writerLock = isMemory ? new SemaphoreSlim(1, 1) : WriterLocks.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        return new RelationalDatabaseProvider(new StoreSet(
            new RelationalBackendParts(SqliteDialect.Instance, dataSource, OwnsDataSource: true, Migrations, writerLock),
            secrets,
            options,
            autoMigrate: options.AutoMigrate ?? true,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            logger));
    }
}
