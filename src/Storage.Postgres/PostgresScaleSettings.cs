namespace GatewayStorage.Postgres;

/// <summary>
/// The library's own PostgreSQL URL parameters for scaling out: <c>pooler=none|transaction</c> (a transaction-mode
/// pooler such as PgBouncer in front of the server) and <c>read_from=primary|standby</c> (lag-tolerant reads on
/// standbys). A URL parameter takes precedence over the option of the same meaning.
/// </summary>
/// <param name="Pooler">The pooler in front of the server.</param>
/// <param name="ReadFrom">Where lag-tolerant reads go.</param>
internal sealed record PostgresScaleSettings(ConnectionPooler Pooler, ReadFrom ReadFrom)
{
    /// <summary>The URL parameter that names the pooler.</summary>
    public const string PoolerParameter = "pooler";

    /// <summary>The URL parameter that says where lag-tolerant reads go.</summary>
    public const string ReadFromParameter = "read_from";

    /// <summary>The library's own URL parameters, which are not Npgsql settings.</summary>
    public static readonly IReadOnlySet<string> Parameters = new HashSet<string>(StringComparer.Ordinal) { PoolerParameter, ReadFromParameter };

    /// <summary>Reads the settings from the URL's parameters, falling back to the options.</summary>
    /// <exception cref="StorageConfigurationException">A parameter has a value that is not one of its choices.</exception>
    public static PostgresScaleSettings From(ConnectionUri uri, GatewayStorageOptions options)
    {
        var pooler = uri.Parameters.TryGetValue(PoolerParameter, out var poolerText)
            ? poolerText switch
            {
                "none" => ConnectionPooler.None,
                "transaction" => ConnectionPooler.Transaction,
                _ => throw PostgresConnectionStrings.Invalid(PoolerParameter, poolerText,
                    "use 'transaction' for PgBouncer (or another pooler) in transaction mode, or 'none'"),
            }
            : options.Pooler;
        var readFrom = uri.Parameters.TryGetValue(ReadFromParameter, out var readFromText)
            ? readFromText switch
            {
                "primary" => ReadFrom.Primary,
                "standby" => ReadFrom.Standby,
                _ => throw PostgresConnectionStrings.Invalid(ReadFromParameter, readFromText, "use 'standby' or 'primary'"),
            }
            : options.ReadFrom;
        return new PostgresScaleSettings(pooler, readFrom);
    }
}
