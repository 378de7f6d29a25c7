using GatewayStorage.Security;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Relational;

/// <summary>
/// The keys a provider protects secrets with: the encryption key ring (OAuth secrets and tokens, credential
/// secrets) and the API-key hasher, resolved once at start-up from the options.
/// </summary>
internal sealed class StorageSecrets : IDisposable
{
    private StorageSecrets(EncryptionKeyRing keys, ApiKeyHasher apiKeyHasher, GatewayStorageOptions options)
    {
        Keys = keys;
        ApiKeyHasher = apiKeyHasher;
        ApiKeyPrefix = options.ApiKeyPrefix;
        ApiKeyLastUsedInterval = options.ApiKeyLastUsedInterval;
    }

    public EncryptionKeyRing Keys { get; }

    public ApiKeyHasher ApiKeyHasher { get; }

    public string ApiKeyPrefix { get; }

    public TimeSpan ApiKeyLastUsedInterval { get; }

    /// <summary>
    /// Resolves the keys: <see cref="GatewayStorageOptions.EncryptionKeys"/>, else <c>ENCRYPTION_KEY</c>, else a key
    /// file beside the database (<paramref name="keyFilePath"/>, SQLite) or a key for this process only
    /// (<paramref name="allowEphemeralKey"/>, SQLite in memory), each with a warning; otherwise start-up fails.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="backendName">The backend's name, for messages.</param>
    /// <param name="keyFilePath">The key file to fall back to, or <see langword="null"/>.</param>
    /// <param name="allowEphemeralKey">Whether a key for this process only is acceptable.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="databaseHoldsSecrets">
    /// Asked before a missing key file is created: whether the database already holds encrypted values or API keys,
    /// which a new key could never read. A key file is never created then.
    /// </param>
    public static StorageSecrets Resolve(
        GatewayStorageOptions options, string backendName, string? keyFilePath, bool allowEphemeralKey, ILogger logger, Func<bool>? databaseHoldsSecrets = null)
    {
        EncryptionKeyRing keys;
        if (options.EncryptionKeys.Count > 0)
        {
            keys = EncryptionKeyRing.FromOptions(options);
        }
        else if (Environment.GetEnvironmentVariable(GatewayStorageOptions.EncryptionKeyVariable) is { Length: > 0 } variable)
        {
            keys = new EncryptionKeyRing([new("env", DecodeKey(variable))], GatewayStorageOptions.EncryptionKeyVariable);
        }
        else if (keyFilePath is not null)
        {
            if (!File.Exists(keyFilePath) && databaseHoldsSecrets?.Invoke() == true)
            {
                throw new StorageConfigurationException(
                    $"The encryption key file '{Path.GetFullPath(keyFilePath)}' is missing but the {backendName} database beside it holds " +
                    $"encrypted values or API keys, which a new key could never read: restore the key file from a backup, or set " +
                    $"{GatewayStorageOptions.EncryptionKeyVariable} (or {GatewayStorageOptions.SectionName}:EncryptionKeys) to the key the data was written with. " +
                    "No new key file was created.");
            }

            var key = EncryptionKeyFile.LoadOrCreate(keyFilePath, out var created);
            StorageLog.EncryptionKeyFile(logger, backendName, created ? "created" : "using", keyFilePath);
            try
            {
                keys = new EncryptionKeyRing([new(EncryptionKeyFile.KeyId, key)], $"the key file '{Path.GetFullPath(keyFilePath)}'");
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            }
        }
        else if (allowEphemeralKey)
        {
            StorageLog.EphemeralEncryptionKey(logger, backendName);
            keys = new EncryptionKeyRing(
                [new("ephemeral", System.Security.Cryptography.RandomNumberGenerator.GetBytes(EncryptionKeyRing.KeySize))], "an in-memory key of this process");
        }
        else
        {
            throw new StorageConfigurationException(
                $"The {backendName} backend needs an encryption key for secrets at rest: set GatewayStorage:EncryptionKeys " +
                $"(an id and base64 of 32 bytes) or the {GatewayStorageOptions.EncryptionKeyVariable} environment variable. Generate one with: openssl rand -base64 32");
        }

        return new StorageSecrets(keys, ApiKeyHasher.FromOptions(options, keys), options);
    }

    public void Dispose() => Keys.Dispose();

    private static byte[] DecodeKey(string base64)
    {
        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            if (key.Length == EncryptionKeyRing.KeySize)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new StorageConfigurationException(
            $"{GatewayStorageOptions.EncryptionKeyVariable} must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32).");
    }
}
