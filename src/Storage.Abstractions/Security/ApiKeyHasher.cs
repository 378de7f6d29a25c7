using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// Hashes API key secrets with HMAC-SHA-256 under a server-side key, so a leaked table of hashes cannot be checked
/// against guesses without that key. Secrets are 260-bit random strings, so a fast keyed hash is enough: a slow
/// password hash would add nothing but latency on every request. Thread-safe.
/// </summary>
internal sealed class ApiKeyHasher
{
    /// <summary>The length of a hash: 32 bytes.</summary>
    public const int HashSize = HMACSHA256.HashSizeInBytes;

    /// <summary>The shortest server-side key: 32 bytes.</summary>
    public const int MinKeySize = 32;

    /// <summary>The HKDF info of the key derived from the encryption key ring.</summary>
    public const string DerivationInfo = "GatewayStorage API key hashing v1";

    private readonly byte[] _key;

    /// <summary>Creates a hasher.</summary>
    /// <param name="key">The server-side key, at least 32 bytes. It is copied.</param>
    /// <exception cref="ArgumentException">The key is shorter than 32 bytes.</exception>
    public ApiKeyHasher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeySize)
        {
            throw new ArgumentException($"The API key hashing key must be at least {MinKeySize} bytes (it is {key.Length}).", nameof(key));
        }

        _key = (byte[])key.Clone();
        KeyId = KeyFingerprint.IdOf(_key);
        CheckValue = KeyFingerprint.CheckValueOf(_key);
    }

    /// <summary>The fingerprint id of the hashing key (see <see cref="KeyFingerprint"/>), recorded in the database.</summary>
    public string KeyId { get; }

    /// <summary>The check value of the hashing key, recorded in the database so a changed key is detected at start.</summary>
    public byte[] CheckValue { get; }

    /// <summary>
    /// Builds the hasher from <see cref="GatewayStorageOptions.ApiKeyHashKey"/> (base64) when it is set; otherwise from
    /// a key derived with HKDF-SHA256 (info <see cref="DerivationInfo"/>) from the FIRST key of the ring.
    /// </summary>
    /// <remarks>
    /// The first key, not the current one: rotating encryption keys appends a key, and hashing under the newest
    /// key would silently invalidate every API key issued before. The consequence is that retiring the first
    /// encryption key changes the derived key too; deployments that will retire keys should set
    /// <see cref="GatewayStorageOptions.ApiKeyHashKey"/> explicitly.
    /// </remarks>
    /// <param name="options">The options.</param>
    /// <param name="ring">The encryption key ring.</param>
    /// <returns>The hasher.</returns>
    /// <exception cref="StorageConfigurationException"><see cref="GatewayStorageOptions.ApiKeyHashKey"/> is not base64 of at least 32 bytes.</exception>
    public static ApiKeyHasher FromOptions(GatewayStorageOptions options, EncryptionKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ring);

        byte[]? key = null;
        try
        {
            if (options.ApiKeyHashKey is { } configured)
            {
                try
                {
                    key = Convert.FromBase64String(configured);
                }
                catch (FormatException)
                {
                    key = null;
                }

                if (key is null || key.Length < MinKeySize)
                {
                    throw new StorageConfigurationException(
                        $"{GatewayStorageOptions.SectionName}:ApiKeyHashKey must be base64 of at least {MinKeySize} bytes " +
                        "(generate one with: openssl rand -base64 32).");
                }
            }
            else
            {
                key = ring.DeriveFromFirstKey(DerivationInfo);
            }

            return new ApiKeyHasher(key);
        }
        finally
        {
            if (key is not null)
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
    }

    /// <summary>Hashes a secret.</summary>
    /// <param name="secret">The secret part of an API key.</param>
    /// <returns>The 32-byte hash to store.</returns>
    public byte[] Hash(ReadOnlySpan<char> secret)
    {
        var hash = new byte[HashSize];
        Hash(secret, hash);
        return hash;
    }

    /// <summary>Hashes a secret into <paramref name="destination"/> without allocating.</summary>
    /// <param name="secret">The secret part of an API key.</param>
    /// <param name="destination">At least 32 bytes.</param>
    public void Hash(ReadOnlySpan<char> secret, Span<byte> destination) =>
        Utf8Hashing.Hash(secret, destination, _key, static (key, utf8, output) => HMACSHA256.HashData(key, utf8, output));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    /// <param name="secret">The presented secret.</param>
    /// <param name="storedHash">The stored hash.</param>
    /// <returns>Whether they match.</returns>
    public bool Matches(ReadOnlySpan<char> secret, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> computed = stackalloc byte[HashSize];
        Hash(secret, computed);
        return CryptographicOperations.FixedTimeEquals(computed, storedHash);
    }
}
