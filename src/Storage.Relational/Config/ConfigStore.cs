using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GatewayStorage.Relational;

internal sealed class ConfigStore(StoreContext context) : IConfigStore
{
    private const string Table = "config_entries";

    private const string ConfigList = "config";
    private const int MaxConfigKeyLength = 200;
    private const int MaxConfigValueLength = 1024 * 1024;

    /// <inheritdoc />
    public async Task<ConfigEntry?> GetConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateConfigKey(key, nameof(key), allowEmpty: false);
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ConfigSql.Get).Text("key", key)
                .QuerySingleOrDefaultAsync(ConfigSql.ReadConfigEntry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<T?> GetConfigValueAsync<T>(string key, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var entry = await GetConfigAsync(key, cancellationToken).ConfigureAwait(false);
        return entry is null ? default : entry.Value.Deserialize(typeInfo);
    }

    /// <inheritdoc />
    public async Task<ConfigEntry> SetConfigAsync(string key, JsonElement value, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ValidateConfigKey(key, nameof(key), allowEmpty: false);
        var json = JsonText.Serialize(value, nameof(value), MaxConfigValueLength);
        if (expectedVersion is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "The expected version must be 0 (must not exist) or positive.");
        }

        var sql = expectedVersion switch
        {
            null => ConfigSql.Upsert,
            0 => ConfigSql.InsertNew,
            _ => ConfigSql.UpdateVersion,
        };

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(sql).Text("key", key).Json("value", json).Time("now", context.Now());
            if (expectedVersion is > 0)
            {
                statement.Int64("version", expectedVersion.Value);
            }

            return await statement.QuerySingleOrDefaultAsync(ConfigSql.ReadConfigEntry, cancellationToken).ConfigureAwait(false)
                ?? throw new ConcurrencyConflictException(nameof(ConfigEntry), key, expectedVersion ?? 0);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateConfigKey(key, nameof(key), allowEmpty: false);
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(ConfigSql.Delete).Text("key", key).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<Page<ConfigEntry>> ListConfigAsync(string prefix, PageRequest page, CancellationToken cancellationToken = default)
    {
        ValidateConfigKey(prefix, nameof(prefix), allowEmpty: true);
        ArgumentNullException.ThrowIfNull(page);
        var list = ConfigList + ":" + prefix;
        var after = KeysetCursor.Decode(list, page.Cursor);

        // Keys are ASCII letters, digits and . _ - : / (all below DEL), so every key with the prefix sorts before prefix + DEL.
        var prefixEnd = prefix + '\u007f';
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = after is null
                ? session.Sql(ConfigSql.ListFirst).Text("prefix", prefix)
                : session.Sql(ConfigSql.ListAfter).Text("after", after);
            var rows = await statement.Text("prefix_end", prefixEnd).Int32("limit", page.Limit + 1)
                .QueryAsync(ConfigSql.ReadConfigEntry, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, list, static e => e.Key);
        }
    }

    private static void ValidateConfigKey(string? key, string paramName, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (!allowEmpty && key.Length == 0)
        {
            throw new ArgumentException("The key must not be empty.", paramName);
        }

        if (key.Length > MaxConfigKeyLength)
        {
            throw new ArgumentException($"The key is {key.Length} characters long; at most {MaxConfigKeyLength} are allowed.", paramName);
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':' or '/'))
            {
                throw new ArgumentException("A config key may contain only ASCII letters, digits and . _ - : /.", paramName);
            }
        }
    }

    /// <summary>Streams every entry in key order (see <see cref="IDataStreams.StreamConfigEntriesAsync"/>).</summary>
    public IAsyncEnumerable<ConfigEntry> StreamConfigEntriesAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, ConfigSql.StreamFirst, ConfigSql.StreamAfter, ConfigSql.ReadConfigEntry,
            static (statement, last) => statement.Text("after", last.Key), cancellationToken);
}
