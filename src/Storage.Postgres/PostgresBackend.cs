using GatewayStorage.Postgres;
using GatewayStorage.Relational;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GatewayStorage;

/// <summary>
/// The PostgreSQL backend: serves <c>postgres://</c> and <c>postgresql://</c> URLs in libpq form. Registered by
/// <c>.AddPostgres()</c>; create it yourself only to build a <see cref="DatabaseProviderFactory"/> without dependency injection.
/// </summary>
public sealed class PostgresBackend : IDatabaseBackend
{
    private static readonly IReadOnlyList<MigrationScript> Migrations =
        MigrationScript.LoadEmbedded(typeof(PostgresBackend).Assembly, "GatewayStorage.Postgres.Migrations.");

    private readonly bool _useRegisteredDataSource;

    /// <summary>Creates the backend.</summary>
    /// <param name="useRegisteredDataSource">
    /// Whether to use an <see cref="NpgsqlDataSource"/> the host registered in dependency injection instead of
    /// building one from the URL. Defaults to <see langword="false"/>.
    /// </param>
    public PostgresBackend(bool useRegisteredDataSource = false) => _useRegisteredDataSource = useRegisteredDataSource;

    /// <inheritdoc />
    public string Name => "postgres";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Schemes { get; } = ["postgres", "postgresql"];

    /// <inheritdoc />
    public IDatabaseProvider Create(string url, GatewayStorageOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);

        var loggerFactory = services.GetService<ILoggerFactory>();
        var logger = loggerFactory?.CreateLogger("GatewayStorage.Postgres") ?? NullLogger.Instance;

        // Secrets first: a missing key fails start-up before any connection is made.
        var secrets = StorageSecrets.Resolve(options, Name, keyFilePath: null, allowEphemeralKey: false, logger);
        var uri = ConnectionUri.Parse(url);
        var scale = PostgresScaleSettings.From(uri, options);
        NpgsqlDataSource dataSource;
        var owns = true;
        if (_useRegisteredDataSource)
        {
            dataSource = services.GetService<NpgsqlDataSource>()
                ?? throw new StorageConfigurationException("AddPostgres(useRegisteredDataSource: true) needs an NpgsqlDataSource registered in the service collection.");
            owns = false;
            CheckRegistered(dataSource, scale);
        }
        else
        {
            var builder = new NpgsqlDataSourceBuilder();
            ConfigureConnection(uri, options, scale, builder.ConnectionStringBuilder);
            if (loggerFactory is not null)
            {
                // Npgsql's own logs (connections, failovers, errors) go to the host's logging, as its docs advise.
                builder.UseLoggerFactory(loggerFactory);
            }

            // Read routing is Npgsql's own: one multi-host data source, whose pools serve both the primary side and,
            // through a prefer-standby view of the same pools, the lag-tolerant reads.
            dataSource = scale.ReadFrom == ReadFrom.Standby ? builder.BuildMultiHost() : builder.Build();
        }

        var standby = scale.ReadFrom == ReadFrom.Standby
            ? ((NpgsqlMultiHostDataSource)dataSource).WithTargetSession(TargetSessionAttributes.PreferStandby)
            : null;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return new RelationalDatabaseProvider(new StoreSet(
            new RelationalBackendParts(new PostgresDialect(options.StartupRetryTimeout, time), dataSource, owns, Migrations, WriterLock: null, standby),
            secrets,
            options,
            autoMigrate: options.AutoMigrate ?? false,
            time,
            logger));
    }

    /// <summary>A data source the host built must fit the URL's scaling settings: the library cannot change it.</summary>
    private static void CheckRegistered(NpgsqlDataSource dataSource, PostgresScaleSettings scale)
    {
        if (scale.ReadFrom == ReadFrom.Standby && dataSource is not NpgsqlMultiHostDataSource)
        {
            throw new StorageConfigurationException(
                "read_from=standby needs a multi-host data source; register one built with NpgsqlDataSourceBuilder.BuildMultiHost().");
        }

        if (scale.Pooler == ConnectionPooler.Transaction && new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare > 0)
        {
            throw new StorageConfigurationException(
                "pooler=transaction: the registered NpgsqlDataSource prepares statements (Max Auto Prepare > 0), which a transaction-mode pooler breaks; set Max Auto Prepare=0 on it.");
        }
    }

    /// <summary>Maps the parsed URL into Npgsql's settings, and adds the settings the hot paths rely on.</summary>
    private static NpgsqlConnectionStringBuilder ConfigureConnection(ConnectionUri uri, GatewayStorageOptions options, PostgresScaleSettings scale, NpgsqlConnectionStringBuilder builder)
    {
        PostgresConnectionStrings.Apply(uri, builder);

        // Auto-prepare and no reset on close together are worth 3x on a hot path (DESIGN.md, Hot paths);
        // the library leaves no session state behind, so skipping DISCARD ALL is safe.
        // Through a transaction-mode pooler, consecutive transactions of one connection run on different server
        // sessions, where a statement prepared on another session does not exist: Npgsql's PgBouncer guidance is
        // Max Auto Prepare=0 and No Reset On Close=true (DISCARD ALL means nothing to a pooler that already resets).
        builder.MaxAutoPrepare = scale.Pooler == ConnectionPooler.Transaction ? 0 : 64;
        builder.AutoPrepareMinUsages = 2;
        builder.NoResetOnClose = true;

        // The primary side of a read-routing data source must find the primary, whatever the host order.
        if (scale.ReadFrom == ReadFrom.Standby && string.IsNullOrEmpty(builder.TargetSessionAttributes))
        {
            builder.TargetSessionAttributes = "primary";
        }

        // Npgsql remembers whether each host is a primary or a standby for Host Recheck Seconds (10 by default): after a
        // failover, writes would find no primary for that long. Only a new physical connection checks, so a short
        // recheck costs nothing in steady state (PostgreSQL 14+ reports the state when the connection starts).
        if (builder.Host?.Contains(',', StringComparison.Ordinal) == true)
        {
            builder.HostRecheckSeconds = 1;
        }

        builder.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (options.MaxPoolSize > 0)
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }

        // Npgsql's pool hands idle connections out first in, first out, so after a burst one caller rotates over every
        // connection the burst opened: measured 1.3-3.6x the held-connection floor on the hot paths (benchmarks/RESULTS.md,
        // "right after a burst"), against 1.0-1.2x in steady state. Npgsql's defaults keep those connections for up to
        // 300 s; handing them back after 30 s of idleness (checked every 5 s) shortens that window, at the cost of
        // opening connections again at the next burst.
        builder.ConnectionIdleLifetime = 30;
        builder.ConnectionPruningInterval = 5;

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "GatewayStorage";
        }

        return builder;
    }
}
