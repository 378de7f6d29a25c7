using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// Encrypts secrets at rest with AES-256-GCM under a ring of keys: the last configured key encrypts, every key
/// decrypts, so keys rotate by appending a new one. A stored value is ASCII text
/// <c>v1:&lt;keyId&gt;:&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;</c> with a fresh random 96-bit nonce per value and
/// the <see cref="SecretContext"/> as associated data. Thread-safe.
/// </summary>
internal sealed class EncryptionKeyRing : IDisposable
{
    /// <summary>The length of every key: 32 bytes (AES-256).</summary>
    public const int KeySize = 32;

    /// <summary>The longest key id.</summary>
    public const int MaxKeyIdLength = 32;

    /// <summary>The key id <see cref="SecretDecryptionException"/> carries when the stored text names no usable key id.</summary>
    public const string UnknownKeyId = "unknown";

    private const string VersionPrefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int StackLimit = 512;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, RingKey> _keys;
    private readonly Dictionary<string, RingKey>.AlternateLookup<ReadOnlySpan<char>> _keysBySpan;
    private readonly RingKey _current;
    private readonly RingKey _first;
    private volatile bool _disposed;

    /// <summary>Creates a ring from keys in configuration order; the last one encrypts.</summary>
    /// <param name="keys">The keys, id to 32 bytes; at least one. The bytes are copied.</param>
    /// <exception cref="ArgumentException">No key, a malformed or duplicate id, or a key that is not 32 bytes.</exception>
    public EncryptionKeyRing(IEnumerable<KeyValuePair<string, byte[]>> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Dictionary<string, RingKey>(StringComparer.Ordinal);
        var ids = new List<string>();
        RingKey? first = null, last = null;
        foreach (var (id, material) in keys)
        {
            if (Problem(ids.Count, id, material?.Length ?? 0, ids) is { } problem)
            {
                throw new ArgumentException(problem, nameof(keys));
            }

            last = new RingKey(id, material!);
            first ??= last;
            _keys.Add(id, last);
            ids.Add(id);
        }

        if (first is null || last is null)
        {
            throw new ArgumentException("An encryption key ring needs at least one key.", nameof(keys));
        }

        _keysBySpan = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
        _first = first;
        _current = last;
        KeyIds = ids.AsReadOnly();
    }

    /// <summary>The id of the key that encrypts new values: the last configured one.</summary>
    public string CurrentKeyId => _current.Id;

    /// <summary>The ids of every key, in configuration order.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Builds the ring from <see cref="GatewayStorageOptions.EncryptionKeys"/> (base64 keys).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="StorageConfigurationException">No key is configured, or a key is malformed.</exception>
    public static EncryptionKeyRing FromOptions(GatewayStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = GatewayStorageOptions.SectionName + ":EncryptionKeys";
        if (options.EncryptionKeys.Count == 0)
        {
            throw new StorageConfigurationException(
                $"No encryption key is configured. Set {section} or {GatewayStorageOptions.EncryptionKeyVariable} " +
                "to base64 of 32 random bytes (generate one with: openssl rand -base64 32).");
        }

        var decoded = new List<KeyValuePair<string, byte[]>>(options.EncryptionKeys.Count);
        var seen = new List<string>(options.EncryptionKeys.Count);
        try
        {
            for (var i = 0; i < options.EncryptionKeys.Count; i++)
            {
                var entry = options.EncryptionKeys[i];
                var material = TryDecodeBase64(entry.Key);
                if (material is not null)
                {
                    decoded.Add(new(entry.Id, material));
                }

                if (Problem(i, entry.Id, material?.Length ?? -1, seen) is { } problem)
                {
                    throw new StorageConfigurationException($"{section}:{i}: {problem}");
                }

                seen.Add(entry.Id);
            }

            return new EncryptionKeyRing(decoded);
        }
        finally
        {
            foreach (var pair in decoded)
            {
                CryptographicOperations.ZeroMemory(pair.Value);
            }
        }
    }

    /// <summary>
    /// The key id a stored value names, or <see langword="null"/> when the text is not a <c>v1:</c> value with a
    /// well-formed key id. Useful to find values still encrypted under a retired key.
    /// </summary>
    /// <param name="stored">The stored text.</param>
    /// <returns>The key id, or <see langword="null"/>.</returns>
    public static string? KeyIdOf(string stored) =>
        TrySplit(stored, out var keyId, out _) ? keyId.ToString() : null;

    /// <summary>Encrypts <paramref name="plaintext"/> under the current key, bound to <paramref name="context"/>.</summary>
    /// <param name="plaintext">The secret; may be empty.</param>
    /// <param name="context">Where the value will be stored.</param>
    /// <returns>The stored form, <c>v1:&lt;keyId&gt;:&lt;base64url&gt;</c>.</returns>
    public string Encrypt(string plaintext, SecretContext context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = _current;
        var plainLength = Utf8.GetByteCount(plaintext);
        var payloadLength = NonceSize + plainLength + TagSize;
        var aadLength = context.AssociatedDataLength;

        // One scratch buffer: [associated data][plaintext][nonce | ciphertext | tag].
        var scratchLength = aadLength + plainLength + payloadLength;
        byte[]? rented = null;
        Span<byte> scratch = scratchLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(scratchLength));
        scratch = scratch[..scratchLength];

        var textLength = VersionPrefix.Length + key.Id.Length + 1 + Base64Url.GetEncodedLength(payloadLength);
        char[]? rentedChars = null;
        Span<char> text = textLength <= StackLimit
            ? stackalloc char[StackLimit]
            : (rentedChars = ArrayPool<char>.Shared.Rent(textLength));
        try
        {
            var aad = scratch[..aadLength];
            context.WriteAssociatedData(aad);
            var plain = scratch.Slice(aadLength, plainLength);
            Utf8.GetBytes(plaintext, plain);
            var payload = scratch.Slice(aadLength + plainLength, payloadLength);
            var nonce = payload[..NonceSize];
            RandomNumberGenerator.Fill(nonce);

            var aes = key.Rent();
            try
            {
                aes.Encrypt(nonce, plain, payload.Slice(NonceSize, plainLength), payload[^TagSize..], aad);
            }
            finally
            {
                key.Return(aes);
            }

            VersionPrefix.CopyTo(text);
            var at = VersionPrefix.Length;
            key.Id.CopyTo(text[at..]);
            at += key.Id.Length;
            text[at++] = ':';
            at += Base64Url.EncodeToChars(payload, text[at..]);
            return new string(text[..at]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            if (rentedChars is not null)
            {
                ArrayPool<char>.Shared.Return(rentedChars);
            }
        }
    }

    /// <summary>Decrypts a value <see cref="Encrypt"/> produced for the same <paramref name="context"/>.</summary>
    /// <param name="stored">The stored form.</param>
    /// <param name="context">Where the value was read from.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="SecretDecryptionException">
    /// The key the value names is not configured; the value was altered or copied from another row, column or table;
    /// or the text is not a stored value (key id <c>unknown</c>). The message never contains the value or a key.
    /// </exception>
    public string Decrypt(string stored, SecretContext context)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!TrySplit(stored, out var keyIdSpan, out var data))
        {
            throw new SecretDecryptionException(
                UnknownKeyId,
                $"The value stored in {context} is not an encrypted value (expected 'v1:<keyId>:<data>').");
        }

        // Looked up by span: a successful read allocates nothing but the plaintext string.
        if (!_keysBySpan.TryGetValue(keyIdSpan, out var key))
        {
            var keyId = keyIdSpan.ToString();
            throw new SecretDecryptionException(
                keyId,
                $"The value stored in {context} was encrypted under encryption key '{keyId}', which is not configured " +
                $"(configured: {string.Join(", ", KeyIds)}). Add key '{keyId}' to " +
                $"{GatewayStorageOptions.SectionName}:EncryptionKeys to read it.");
        }

        var maxPayload = Base64Url.GetMaxDecodedLength(data.Length);
        var aadLength = context.AssociatedDataLength;

        // One scratch buffer: [associated data][nonce | ciphertext | tag][plaintext].
        var scratchLength = aadLength + (2 * maxPayload);
        byte[]? rented = null;
        Span<byte> scratch = scratchLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(scratchLength));
        scratch = scratch[..scratchLength];
        try
        {
            var aad = scratch[..aadLength];
            context.WriteAssociatedData(aad);
            var payloadBuffer = scratch.Slice(aadLength, maxPayload);
            if (Base64Url.DecodeFromChars(data, payloadBuffer, out _, out var payloadLength) != OperationStatus.Done
                || payloadLength < NonceSize + TagSize)
            {
                throw new SecretDecryptionException(
                    key.Id,
                    $"The value stored in {context} under encryption key '{key.Id}' is malformed: its data is not base64url of nonce, ciphertext and tag.");
            }

            var payload = payloadBuffer[..payloadLength];
            var cipherLength = payloadLength - NonceSize - TagSize;
            var plain = scratch.Slice(aadLength + maxPayload, cipherLength);

            var aes = key.Rent();
            try
            {
                aes.Decrypt(payload[..NonceSize], payload.Slice(NonceSize, cipherLength), payload[^TagSize..], plain, aad);
            }
            catch (CryptographicException exception)
            {
                throw new SecretDecryptionException(
                    key.Id,
                    $"The value stored in {context} failed authentication under encryption key '{key.Id}': it was altered, " +
                    "copied from another row, column or table, or encrypted with a different key under the same id.",
                    exception);
            }
            finally
            {
                key.Return(aes);
            }

            return Utf8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Derives a sub-key from the FIRST configured key with HKDF-SHA256. The first key, not the current one, so
    /// that appending a key to rotate encryption leaves every derived key (and what it protects) unchanged.
    /// </summary>
    /// <param name="info">The purpose, as HKDF info, e.g. <c>GatewayStorage API key hashing v1</c>.</param>
    /// <param name="length">The length of the derived key in bytes.</param>
    /// <returns>The derived key.</returns>
    public byte[] DeriveFromFirstKey(string info, int length = KeySize)
    {
        ArgumentException.ThrowIfNullOrEmpty(info);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var derived = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _first.Material, derived, salt: default, Utf8.GetBytes(info));
        return derived;
    }

    /// <summary>Releases the pooled ciphers and clears the key bytes.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    internal static bool IsValidKeyId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxKeyIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    // Names the key by position, not by id, when the id itself is malformed: a misplaced key could sit in the id field.
    private static string? Problem(int position, string? id, int keyLength, List<string> seen)
    {
        if (id is null || !IsValidKeyId(id))
        {
            return $"The encryption key at position {position} has an invalid id; use 1 to {MaxKeyIdLength} ASCII letters, digits, '-' or '_'.";
        }

        if (seen.Contains(id, StringComparer.Ordinal))
        {
            return $"The encryption key id '{id}' is used more than once; key ids must be unique.";
        }

        if (keyLength < 0)
        {
            return $"The encryption key '{id}' is not valid base64 (generate one with: openssl rand -base64 32).";
        }

        if (keyLength != KeySize)
        {
            return $"The encryption key '{id}' must be exactly {KeySize} bytes (it is {keyLength}).";
        }

        return null;
    }

    private static byte[]? TryDecodeBase64(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool TrySplit(string stored, out ReadOnlySpan<char> keyId, out ReadOnlySpan<char> data)
    {
        keyId = default;
        data = default;
        if (stored is null || !stored.StartsWith(VersionPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = stored.AsSpan(VersionPrefix.Length);
        var colon = rest.IndexOf(':');
        if (colon < 0 || !IsValidKeyId(rest[..colon]))
        {
            return false;
        }

        keyId = rest[..colon];
        data = rest[(colon + 1)..];
        return true;
    }

    /// <summary>One key and a small pool of ciphers for it: an AesGcm instance is not safe for concurrent use, and
    /// creating one per call costs more than the encryption of a token.</summary>
    private sealed class RingKey : IDisposable
    {
        private readonly AesGcm?[] _pool = new AesGcm?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

        public RingKey(string id, byte[] material)
        {
            Id = id;
            Material = (byte[])material.Clone();
        }

        public string Id { get; }

        public byte[] Material { get; }

        public AesGcm Rent()
        {
            for (var i = 0; i < _pool.Length; i++)
            {
                if (Interlocked.Exchange(ref _pool[i], null) is { } aes)
                {
                    return aes;
                }
            }

            return new AesGcm(Material, TagSize);
        }

        public void Return(AesGcm aes)
        {
            for (var i = 0; i < _pool.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _pool[i], aes, null) is null)
                {
                    return;
                }
            }

            aes.Dispose();
        }

        public void Dispose()
        {
            for (var i = 0; i < _pool.Length; i++)
            {
                Interlocked.Exchange(ref _pool[i], null)?.Dispose();
            }

            CryptographicOperations.ZeroMemory(Material);
        }
    }
}
