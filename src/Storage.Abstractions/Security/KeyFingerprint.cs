using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// What can be said about a key without revealing it: its id (a fingerprint, so two different keys never share an id)
/// and its check value (stored in the database, so a start with a different key under the same id is detected).
/// Both are HMAC-SHA-256 of a fixed label under the key; neither lets anyone recover or test guesses of a 256-bit key.
/// </summary>
internal static class KeyFingerprint
{
    /// <summary>The prefix of every fingerprint id: <c>fp-</c>.</summary>
    public const string Prefix = "fp-";

    /// <summary>The length of a check value: 32 bytes.</summary>
    public const int CheckValueSize = HMACSHA256.HashSizeInBytes;

    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("GatewayStorage key id v1");
    private static readonly byte[] CheckLabel = Encoding.ASCII.GetBytes("GatewayStorage key check v1");

    /// <summary>
    /// The id of a key: <c>fp-</c> and 16 lower-case hex digits (the first 8 bytes of HMAC-SHA-256 of a fixed label
    /// under the key), e.g. <c>fp-3a9c0e1b7d2f4a68</c>. 64 bits: two keys in one deployment do not collide.
    /// </summary>
    /// <param name="key">The key material.</param>
    /// <returns>The id.</returns>
    public static string IdOf(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, IdLabel, mac);
        return Prefix + Convert.ToHexStringLower(mac[..8]);
    }

    /// <summary>The check value of a key: HMAC-SHA-256 of a fixed label (not the id's label) under the key.</summary>
    /// <param name="key">The key material.</param>
    /// <returns>32 bytes.</returns>
    public static byte[] CheckValueOf(ReadOnlySpan<byte> key) => HMACSHA256.HashData(key, CheckLabel);
}
