using System.Security.Cryptography;

namespace GatewayStorage.Security;

/// <summary>One key and a small pool of ciphers for it: an AesGcm instance is not safe for concurrent use, and
/// creating one per call costs more than the encryption of a token.</summary>
internal sealed class RingKey : IDisposable
{
    private readonly AesGcm?[] _pool = new AesGcm?[Math.Clamp(Environment.ProcessorCount, 2, 16)];

    public RingKey(string configuredId, byte[] material)
    {
        ConfiguredId = configuredId;
        Material = (byte[])material.Clone();
        Id = KeyFingerprint.IdOf(Material);
        CheckValue = KeyFingerprint.CheckValueOf(Material);
    }

    /// <summary>The fingerprint id new values carry.</summary>
    public string Id { get; }

    /// <summary>The id the key was configured with; values written before fingerprint ids carry it.</summary>
    public string ConfiguredId { get; }

    public byte[] CheckValue { get; }

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

        return new AesGcm(Material, EncryptionKeyRing.TagSize);
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
