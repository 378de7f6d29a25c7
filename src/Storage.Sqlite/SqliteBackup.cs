using GatewayStorage.Relational;
using Microsoft.Data.Sqlite;

namespace GatewayStorage;

/// <summary>
/// Backs up a SQLite database while it is in use, through SQLite's online backup API: the copy is a consistent
/// snapshot of one moment, whatever writers do meanwhile. For PostgreSQL, use <c>pg_dump</c>.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Writes a consistent copy of the provider's SQLite database to a new file.</summary>
    /// <param name="provider">A provider of the SQLite backend.</param>
    /// <param name="destinationPath">The backup file to create; its folder must exist and the file must not.</param>
    /// <param name="cancellationToken">The token to cancel the operation before the backup starts.</param>
    /// <returns>A task that completes when the backup file is written.</returns>
    /// <remarks>
    /// The backup holds the database only: the encrypted secrets in it need the encryption key (<c>ENCRYPTION_KEY</c>,
    /// <c>GatewayStorage:EncryptionKeys</c> or the key file beside the database) to be read, so keep the key too.
    /// </remarks>
    /// <exception cref="ArgumentException">The destination is empty or already exists.</exception>
    /// <exception cref="NotSupportedException">The provider is not a SQLite provider of this library.</exception>
    /// <exception cref="StorageException">SQLite failed to read the database or write the backup.</exception>
    public static async Task BackupAsync(IDatabaseProvider provider, string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        if (provider is not RelationalDatabaseProvider relational || relational.Context.Dialect is not Sqlite.SqliteDialect)
        {
            throw new NotSupportedException(
                $"Online backup is for SQLite databases; this provider's backend is '{provider.BackendName}'. Back up PostgreSQL with pg_dump.");
        }

        var destination = Path.GetFullPath(destinationPath);
        if (File.Exists(destination))
        {
            throw new ArgumentException($"The backup file '{destination}' exists already; choose a new file.", nameof(destinationPath));
        }

        var session = await relational.Context.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var source = (SqliteConnection)session.Connection;
            var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ConnectionString);
            await using (target.ConfigureAwait(false))
            {
                try
                {
                    await target.OpenAsync(cancellationToken).ConfigureAwait(false);

                    // One step over the whole database: SQLite copies the pages of one read snapshot.
                    source.BackupDatabase(target);
                }
                catch (SqliteException exception)
                {
                    throw new StorageException($"The SQLite backup to '{destination}' failed: {exception.Message}", exception);
                }
            }
        }
    }
}
