using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// Session tokens and single-use tokens (invitations, password resets): 32 random bytes as base64url, 43 characters.
/// Only their SHA-256 hash is stored. An unkeyed hash suffices here, unlike for passwords: a 256-bit random token
/// cannot be guessed, so the hash only has to keep a copy of the table from being usable as tokens.
/// </summary>
internal static class OpaqueToken
{
    /// <summary>The length of a token: 43 characters.</summary>
    public const int Length = 43;

    /// <summary>The length of a token hash: 32 bytes.</summary>
    public const int HashSize = SHA256.HashSizeInBytes;

    private const int TokenBytes = 32;

    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // 43 characters carry 258 bits for 256: the last one holds the low 4 bits of the final byte followed by 2 zero
    // bits, so only the characters whose alphabet index is a multiple of 4 can end a token.
    private static readonly SearchValues<char> FinalChars = SearchValues.Create("AEIMQUYcgkosw048");

    /// <summary>Generates a token.</summary>
    /// <returns>43 characters of base64url.</returns>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(bytes);
        var token = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        return token;
    }

    /// <summary>Hashes a token for storage or lookup: SHA-256 of its UTF-8 characters.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The 32-byte hash.</returns>
    public static byte[] Hash(ReadOnlySpan<char> token)
    {
        var hash = new byte[HashSize];
        Utf8Hashing.Hash(token, hash, 0, static (_, utf8, destination) => SHA256.HashData(utf8, destination));
        return hash;
    }

    /// <summary>
    /// Whether <paramref name="token"/> could have come from <see cref="Generate"/>: 43 base64url characters whose
    /// last one is a canonical encoding. Checked before hashing so malformed input never reaches the database.
    /// </summary>
    /// <param name="token">The presented token.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsWellFormed(ReadOnlySpan<char> token) =>
        token.Length == Length
        && !token.ContainsAnyExcept(Base64UrlChars)
        && FinalChars.Contains(token[^1]);
}
