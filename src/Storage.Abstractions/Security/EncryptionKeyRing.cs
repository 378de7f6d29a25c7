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
/// <remarks>
/// New values carry the key's fingerprint id (<see cref="KeyFingerprint.IdOf"/>), so two different keys never share
/// an id. The id a key was configured with stays an alias that decrypts too: values written before fingerprint ids
/// (<c>v1:file:…</c>, <c>v1:env:…</c>) remain readable under the key that wrote them. Disposal waits for operations
/// in flight and fails later ones, so no value is ever produced under a cleared key.
/// </remarks>
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
    internal const int TagSize = 16;
    private const int StackLimit = 512;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Every key by its fingerprint id and by the id it was configured with.
    private readonly Dictionary<string, RingKey> _keysById;
    private readonly Dictionary<string, RingKey>.AlternateLookup<ReadOnlySpan<char>> _keysBySpan;
    private readonly List<RingKey> _keys;
    private readonly RingKey _current;
    private readonly RingKey _first;

    // Operations in flight, and whether Dispose began: Dispose clears the keys only once no operation is in flight.
    private int _active;
    private int _disposed;

    /// <summary>Creates a ring from keys in configuration order; the last one encrypts.</summary>
    /// <param name="keys">The keys, configured id to 32 bytes; at least one. The bytes are copied.</param>
    /// <param name="source">
    /// Where the keys came from, in words a user can act on (<c>ENCRYPTION_KEY</c>, <c>GatewayStorage:EncryptionKeys</c>,
    /// <c>the key file '…'</c>); messages name it. Defaults to <c>GatewayStorage:EncryptionKeys</c>.
    /// </param>
    /// <exception cref="ArgumentException">No key, a malformed or duplicate id, a key configured twice, or a key that is not 32 bytes.</exception>
    public EncryptionKeyRing(IEnumerable<KeyValuePair<string, byte[]>> keys, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keysById = new Dictionary<string, RingKey>(StringComparer.Ordinal);
        _keys = [];
        var ids = new List<string>();
        RingKey? first = null, last = null;
        foreach (var (id, material) in keys)
        {
            if (EncryptionKeyOptionsReader.Problem(ids.Count, id, material?.Length ?? 0, ids) is { } problem)
            {
                throw new ArgumentException(problem, nameof(keys));
            }

            last = new RingKey(id, material!);
            first ??= last;
            if (_keysById.ContainsKey(last.Id) || (id != last.Id && _keysById.ContainsKey(id)))
            {
                last.Dispose();
                foreach (var added in _keys)
                {
                    added.Dispose();
                }

                throw new ArgumentException(
                    $"The encryption key '{id}' is configured twice (or its id is another key's fingerprint); each key must appear once.", nameof(keys));
            }

            _keysById.Add(last.Id, last);
            if (id != last.Id)
            {
                _keysById.Add(id, last);
            }

            _keys.Add(last);
            ids.Add(id);
        }

        if (first is null || last is null)
        {
            throw new ArgumentException("An encryption key ring needs at least one key.", nameof(keys));
        }

        _keysBySpan = _keysById.GetAlternateLookup<ReadOnlySpan<char>>();
        _first = first;
        _current = last;
        KeyIds = _keys.ConvertAll(k => k.Id).AsReadOnly();
        Source = source ?? GatewayStorageOptions.SectionName + ":EncryptionKeys";
    }

    /// <summary>The fingerprint id of the key that encrypts new values: the last configured one.</summary>
    public string CurrentKeyId => _current.Id;

    /// <summary>The fingerprint ids of every key, in configuration order.</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Where the keys came from, in words a user can act on: the setting to fix when a key is missing.</summary>
    public string Source { get; }

    /// <summary>Whether <paramref name="keyId"/> (a fingerprint or a configured id) names a key of the ring.</summary>
    /// <param name="keyId">The id.</param>
    /// <returns>Whether the ring holds it.</returns>
    public bool Contains(string keyId) => _keysById.ContainsKey(keyId);

    /// <summary>The check value of the key with fingerprint id <paramref name="keyId"/> (see <see cref="KeyFingerprint"/>).</summary>
    /// <param name="keyId">A fingerprint id of <see cref="KeyIds"/>.</param>
    /// <returns>A copy of the 32-byte check value.</returns>
    public byte[] CheckValueOf(string keyId) => (byte[])_keysById[keyId].CheckValue.Clone();

    /// <summary>The key ids in words for messages: <c>fp-… (configured as 'main')</c>, never a key.</summary>
    /// <returns>The description.</returns>
    public string DescribeKeys() => string.Join(", ", _keys.Select(k => k.ConfiguredId == k.Id ? k.Id : $"{k.Id} (configured as '{k.ConfiguredId}')"));

    /// <summary>Builds the ring from <see cref="GatewayStorageOptions.EncryptionKeys"/> (base64 keys).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="StorageConfigurationException">No key is configured, or a key is malformed.</exception>
    public static EncryptionKeyRing FromOptions(GatewayStorageOptions options) => EncryptionKeyOptionsReader.Read(options);

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
        Enter();
        try
        {
            return EncryptUnder(plaintext, context, _current);
        }
        finally
        {
            Exit();
        }
    }

    private static string EncryptUnder(string plaintext, SecretContext context, RingKey key)
    {
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
        Enter();
        try
        {
            return DecryptEntered(stored, context);
        }
        finally
        {
            Exit();
        }
    }

    private string DecryptEntered(string stored, SecretContext context)
    {
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
                $"(configured from {Source}: {DescribeKeys()}). Add the key with id '{keyId}' back to " +
                $"{GatewayStorageOptions.SectionName}:EncryptionKeys to read it, or write the value again.");
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
                    keyIdSpan.ToString(),
                    $"The value stored in {context} under encryption key '{keyIdSpan}' is malformed: its data is not base64url of nonce, ciphertext and tag.");
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
                    keyIdSpan.ToString(),
                    $"The value stored in {context} failed authentication under encryption key '{keyIdSpan}': it was altered, " +
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
        Enter();
        try
        {
            var derived = new byte[length];
            HKDF.DeriveKey(HashAlgorithmName.SHA256, _first.Material, derived, salt: default, Utf8.GetBytes(info));
            return derived;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Releases the pooled ciphers and clears the key bytes, once the operations in flight have finished; operations
    /// that start later throw <see cref="ObjectDisposedException"/> before producing anything.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Both sides use full fences (Interlocked): either an operation sees the flag, or Dispose sees its count.
        // Operations are short and do no I/O, so spinning is enough.
        var spin = default(SpinWait);
        while (Volatile.Read(ref _active) != 0)
        {
            spin.SpinOnce();
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private void Enter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Decrement(ref _active);
            throw new ObjectDisposedException(nameof(EncryptionKeyRing));
        }
    }

    private void Exit() => Interlocked.Decrement(ref _active);

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
}
