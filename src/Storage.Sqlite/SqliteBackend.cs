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
        var pool = new SqliteConnectionPool(
            path,
            options.MaxPoolSize > 0 ? options.MaxPoolSize : DefaultPoolSize,
            options.BusyTimeout,
            options.CommandTimeout);
        var isMemory = path == SqliteUrl.Memory;
        var secrets = StorageSecrets.Resolve(
            options, Name, isMemory ? null : EncryptionKeyFile.PathBeside(path), allowEphemeralKey: isMemory, logger,
            databaseHoldsSecrets: () => SqliteSecretsProbe.HoldsSecrets(path));
        return new RelationalDatabaseProvider(
            SqliteDialect.Instance,
            pool,
            Migrations,
            secrets,
            options,
            autoMigrate: options.AutoMigrate ?? true,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            logger);
    }
}
