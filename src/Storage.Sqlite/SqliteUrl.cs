namespace GatewayStorage.Sqlite;

/// <summary>
/// Reads <c>sqlite:</c> URLs: <c>sqlite:./data/gateway.db</c> (relative to the working directory),
/// <c>sqlite:///var/lib/app/gateway.db</c> (absolute) and <c>sqlite::memory:</c>.
/// </summary>
internal static class SqliteUrl
{
    public const string Memory = ":memory:";

    /// <summary>Returns the database file's full path, or <see cref="Memory"/>.</summary>
    /// <exception cref="StorageConfigurationException">The URL is not a usable <c>sqlite:</c> URL.</exception>
    public static string Parse(string url)
    {
        if (!url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageConfigurationException("A SQLite URL starts with 'sqlite:', for example 'sqlite:./data/gateway.db' or 'sqlite::memory:'.");
        }

        var rest = url["sqlite:".Length..];
        if (rest.Equals(Memory, StringComparison.OrdinalIgnoreCase))
        {
            return Memory;
        }

        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        if (rest.Length == 0 || rest.Contains('?', StringComparison.Ordinal) || rest.Contains('\0', StringComparison.Ordinal))
        {
            throw new StorageConfigurationException(
                "A SQLite URL names a file: 'sqlite:./data/gateway.db' (relative), 'sqlite:///var/lib/app/gateway.db' (absolute) or 'sqlite::memory:'. Query parameters are not supported.");
        }

        return Path.GetFullPath(Uri.UnescapeDataString(rest));
    }
}
