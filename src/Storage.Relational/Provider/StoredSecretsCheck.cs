using GatewayStorage.Security;

namespace GatewayStorage.Relational;

/// <summary>
/// Checks the configured encryption keys against the secrets already stored, once at start-up: the newest value of
/// each encrypted column is decrypted. A key whose id matches but whose bytes differ fails at once; keys that match
/// none of the sampled values fail too. A value under a retired key beside values the configured keys read is a
/// rotation in progress, not a mistake: that row fails alone, when read.
/// </summary>
internal static class StoredSecretsCheck
{
    // The tables and columns the stores encrypt, with the same names they bind as the secret's context.
    private static readonly (string Table, string Column)[] EncryptedColumns =
    [
        ("oauth_providers", "client_secret"),
        ("oauth_tokens", "access_token"),
        ("credentials", "secret"),
    ];

    public static async Task RunAsync(
        Func<CancellationToken, ValueTask<DbSession>> open, string backendName, EncryptionKeyRing keys, CancellationToken cancellationToken)
    {
        var sampled = 0;
        var decrypted = 0;
        SecretDecryptionException? firstError = null;
        var session = await open(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            foreach (var (table, column) in EncryptedColumns)
            {
                // Table and column are the constants above, never input.
                var newest = await session.Sql($"SELECT id, {column} FROM {table} ORDER BY id DESC LIMIT 1")
                    .QuerySingleOrDefaultAsync(static (in Row r) => (Id: r.Guid(0), Value: r.Text(1)), cancellationToken).ConfigureAwait(false);
                if (newest.Value is null)
                {
                    continue;
                }

                sampled++;
                try
                {
                    _ = keys.Decrypt(newest.Value, new SecretContext(table, newest.Id, column));
                    decrypted++;
                }
                catch (SecretDecryptionException ex) when (!keys.KeyIds.Contains(ex.KeyId))
                {
                    firstError ??= ex;
                }
                catch (SecretDecryptionException ex)
                {
                    throw Mismatch(backendName, ex);
                }
            }
        }

        if (sampled > 0 && decrypted == 0 && firstError is not null)
        {
            throw Mismatch(backendName, firstError);
        }
    }

    private static StorageConfigurationException Mismatch(string backendName, SecretDecryptionException ex) =>
        new(
            $"The configured encryption keys do not match the secrets stored in the {backendName} database: {ex.Message} " +
            $"Configure the key(s) the database was written with in {GatewayStorageOptions.SectionName}:EncryptionKeys " +
            $"or {GatewayStorageOptions.EncryptionKeyVariable}.",
            ex);
}
