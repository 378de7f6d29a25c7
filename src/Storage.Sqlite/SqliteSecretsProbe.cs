using Microsoft.Data.Sqlite;

namespace GatewayStorage.Sqlite;

/// <summary>
/// Answers, before any key exists, whether a SQLite database file already holds encrypted values or API keys: a key
/// file must never be created beside such a database, since a new key could read none of it.
/// </summary>
internal static class SqliteSecretsProbe
{
    // Tables whose rows exist only under a key: encrypted values, API key hashes, and the key check values themselves.
    private static readonly string[] Tables = ["oauth_providers", "oauth_tokens", "credentials", "api_keys", "key_checks"];

    /// <summary>Whether the database at <paramref name="path"/> exists and has a row in a table that needs a key.</summary>
    /// <param name="path">The database file's full path.</param>
    /// <returns>Whether a new key file would be unable to read the database.</returns>
    /// <exception cref="StorageConfigurationException">The file exists but cannot be read.</exception>
    public static bool HoldsSecrets(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString();
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            foreach (var table in Tables)
            {
                using var command = connection.CreateCommand();

                // The table name is one of our own constants, never input.
                command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name";
                command.Parameters.AddWithValue("$name", table);
                if (command.ExecuteScalar() is null)
                {
                    continue;
                }

                command.Parameters.Clear();
                command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {table})";
                if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (SqliteException exception)
        {
            throw new StorageConfigurationException(
                $"The SQLite database '{path}' cannot be read to check whether it holds encrypted values: {exception.Message}", exception);
        }
    }
}
