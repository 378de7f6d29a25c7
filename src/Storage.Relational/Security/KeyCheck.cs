using System.Security.Cryptography;
using GatewayStorage.Security;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// Checks at start-up, after migrations, that the configured keys can read what the database holds, and records a
/// check value per key (table <c>key_checks</c>: key id, purpose, HMAC of a fixed label under the key, time).
/// </summary>
/// <remarks>
/// <para>Encryption keys: a recorded check under a key id the ring holds must match. When the database holds check
/// values and none of them belongs to a configured key, the keys are lost or wrong and start is refused. A key
/// missing while another recorded key is configured is a retired key: start goes on, and a row still under it fails
/// on read with a <see cref="SecretDecryptionException"/> naming the row and the key.</para>
/// <para>The API-key hashing key: while API keys exist, a hashing key other than the recorded one is refused (every
/// API key would stop verifying). With no API key stored, the recorded hashing key is simply replaced.</para>
/// <para>A database from before check values is probed once: its newest encrypted value per table must decrypt.</para>
/// </remarks>
internal static class KeyCheck
{
    public const string EncryptionPurpose = "encryption";
    public const string ApiKeyHashPurpose = "api-key-hash";

    /// <summary>Verifies the keys against the database and records the check values not recorded yet.</summary>
    /// <param name="open">Opens a session on the migrated database.</param>
    /// <param name="secrets">The configured keys.</param>
    /// <param name="time">The clock for <c>created_at</c>.</param>
    /// <param name="logger">Where a retired key is reported.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <exception cref="StorageConfigurationException">The keys cannot read what the database holds.</exception>
    public static async Task VerifyAsync(
        Func<CancellationToken, ValueTask<DbSession>> open, StorageSecrets secrets, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var ring = secrets.Keys;
        var hasher = secrets.ApiKeyHasher;
        var session = await open(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var recorded = await session.Sql(KeyCheckSql.List)
                .QueryAsync(static (in Row r) => (KeyId: r.Text(0), Purpose: r.Text(1), Check: r.Bytes(2)), cancellationToken)
                .ConfigureAwait(false);

            var encryption = recorded.Where(r => r.Purpose == EncryptionPurpose).ToList();
            foreach (var (keyId, _, check) in encryption.Where(r => ring.KeyIds.Contains(r.KeyId)))
            {
                if (!CryptographicOperations.FixedTimeEquals(ring.CheckValueOf(keyId), check))
                {
                    throw new StorageConfigurationException(
                        $"The encryption key {keyId} from {ring.Source} does not match the check value the database recorded for " +
                        $"that key id: the key_checks table was altered, or it belongs to another database. {Fix(ring)}");
                }
            }

            if (encryption.Count > 0 && !encryption.Any(r => ring.KeyIds.Contains(r.KeyId)))
            {
                var missing = string.Join(", ", encryption.Select(r => r.KeyId).Order(StringComparer.Ordinal));
                throw new StorageConfigurationException(
                    $"The database was written with encryption key {missing}, and none of the configured keys ({ring.DescribeKeys()}, " +
                    $"from {ring.Source}) is a key it has seen: the key is missing or wrong, and no secret stored in it could be read. {Fix(ring)}");
            }

            if (encryption.Count == 0)
            {
                await ProbeAsync(session, ring, cancellationToken).ConfigureAwait(false);
            }

            var retired = encryption.Where(r => !ring.KeyIds.Contains(r.KeyId)).Select(r => r.KeyId).Order(StringComparer.Ordinal).ToList();
            if (retired.Count > 0)
            {
                // Not refused: a key rotated out is normal. But a key dropped by mistake would look the same, so say it.
                StorageLog.RetiredEncryptionKey(logger, string.Join(", ", retired));
            }

            var hashChecks = recorded.Where(r => r.Purpose == ApiKeyHashPurpose).ToList();
            if (hashChecks.Count > 0 && !hashChecks.Any(r => r.KeyId == hasher.KeyId && CryptographicOperations.FixedTimeEquals(r.Check, hasher.CheckValue)))
            {
                var anyApiKey = await session.Sql(KeyCheckSql.AnyApiKey)
                    .QuerySingleOrDefaultAsync(static (in Row r) => true, cancellationToken).ConfigureAwait(false);
                if (anyApiKey)
                {
                    throw new StorageConfigurationException(
                        $"The database holds API keys hashed under API-key hashing key {string.Join(", ", hashChecks.Select(r => r.KeyId))}, " +
                        $"but the hashing key configured now is {hasher.KeyId}: no existing API key would verify. Set " +
                        $"{GatewayStorageOptions.SectionName}:ApiKeyHashKey to the key the API keys were issued under or, when it is not set, " +
                        $"make the first encryption key ({GatewayStorageOptions.SectionName}:EncryptionKeys, {GatewayStorageOptions.EncryptionKeyVariable} " +
                        "or the key file) the one they were issued under.");
                }

                // No API key to protect: the hashing key may change freely.
                await session.Sql(KeyCheckSql.ForgetOtherHashKeys).Text("purpose", ApiKeyHashPurpose).Text("key_id", hasher.KeyId)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            var now = StorageTime.Now(time);
            foreach (var keyId in ring.KeyIds.Where(id => !encryption.Any(r => r.KeyId == id)))
            {
                await RecordAsync(session, keyId, EncryptionPurpose, ring.CheckValueOf(keyId), now, cancellationToken).ConfigureAwait(false);
            }

            await RecordAsync(session, hasher.KeyId, ApiKeyHashPurpose, hasher.CheckValue, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<int> RecordAsync(DbSession session, string keyId, string purpose, byte[] check, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.Sql(KeyCheckSql.Record)
            .Text("key_id", keyId)
            .Text("purpose", purpose)
            .Bytes("check_value", check)
            .Time("now", now)
            .ExecuteAsync(cancellationToken);

    /// <summary>A database without check values yet: its newest value per encrypted table must decrypt.</summary>
    private static async Task ProbeAsync(DbSession session, EncryptionKeyRing ring, CancellationToken cancellationToken)
    {
        (string Sql, string Table, string Column)[] probes =
        [
            (KeyCheckSql.NewestClientSecret, "oauth_providers", "client_secret"),
            (KeyCheckSql.NewestAccessToken, "oauth_tokens", "access_token"),
            (KeyCheckSql.NewestCredentialSecret, "credentials", "secret"),
        ];
        foreach (var (sql, table, column) in probes)
        {
            var row = await session.Sql(sql)
                .QuerySingleOrDefaultAsync(static (in Row r) => (Id: r.Guid(0), Value: r.Text(1)), cancellationToken).ConfigureAwait(false);
            if (row.Value is null)
            {
                continue;
            }

            try
            {
                _ = ring.Decrypt(row.Value, new SecretContext(table, row.Id, column));
            }
            catch (SecretDecryptionException exception)
            {
                throw new StorageConfigurationException(
                    $"The configured encryption keys ({ring.DescribeKeys()}, from {ring.Source}) cannot read the secrets this database " +
                    $"holds: {exception.Message} {Fix(ring)}",
                    exception);
            }
        }
    }

    private static string Fix(EncryptionKeyRing ring) =>
        ring.Source.StartsWith("the key file", StringComparison.Ordinal)
            ? $"Restore {ring.Source} from a backup, or set {GatewayStorageOptions.EncryptionKeyVariable} to the key the data was written with."
            : $"Set {ring.Source} to the key the data was written with (keep it in {GatewayStorageOptions.SectionName}:EncryptionKeys beside a new key to rotate).";
}
