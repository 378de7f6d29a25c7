namespace GatewayStorage.Relational;

/// <summary>The statements of the config store; standard SQL that runs unchanged on both engines.</summary>
internal static class ConfigSql
{
    public const string Columns = "key, value, version, updated_at";

    public const string Get = "SELECT " + Columns + " FROM config_entries WHERE key = @key";

    public const string Upsert =
        "INSERT INTO config_entries (key, value, version, updated_at) VALUES (@key, @value, 1, @now) " +
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = config_entries.version + 1, updated_at = excluded.updated_at " +
        "RETURNING " + Columns;

    public const string InsertNew =
        "INSERT INTO config_entries (key, value, version, updated_at) VALUES (@key, @value, 1, @now) ON CONFLICT (key) DO NOTHING RETURNING " + Columns;

    public const string UpdateVersion =
        "UPDATE config_entries SET value = @value, version = version + 1, updated_at = @now WHERE key = @key AND version = @version RETURNING " + Columns;

    public const string Delete = "DELETE FROM config_entries WHERE key = @key";

    // A key range instead of LIKE: LIKE is case-insensitive on SQLite and case-sensitive on PostgreSQL.
    public const string ListFirst =
        "SELECT " + Columns + " FROM config_entries WHERE key >= @prefix AND key < @prefix_end ORDER BY key LIMIT @limit";

    public const string ListAfter =
        "SELECT " + Columns + " FROM config_entries WHERE key > @after AND key < @prefix_end ORDER BY key LIMIT @limit";

    public const string StreamFirst = "SELECT " + Columns + " FROM config_entries ORDER BY key LIMIT @limit";

    public const string StreamAfter = "SELECT " + Columns + " FROM config_entries WHERE key > @after ORDER BY key LIMIT @limit";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static ConfigEntry ReadConfigEntry(in Row r) => new(r.Text(0), JsonText.Parse(r.Json(1)), r.Int64(2), r.Time(3));
}
