using System.Buffers;
using System.Security.Cryptography;

namespace GatewayStorage.Security;

/// <summary>
/// The format of API keys: <c>&lt;prefix&gt;_&lt;publicId&gt;_&lt;secret&gt;</c>, e.g.
/// <c>gsk_k3v7q2mxa9bd_…</c>. The public id (12 characters, 60 bits) finds the row with one indexed lookup; the
/// secret (52 characters, 260 bits) is only ever stored as a keyed hash (<see cref="ApiKeyHasher"/>).
/// </summary>
/// <remarks>
/// Both parts use lower-case base32 (<c>a–z</c>, <c>2–7</c>): unlike base64url it contains no <c>_</c>, so a key
/// splits on <c>_</c> unambiguously, and no <c>-</c>, so a double-click selects the whole key. Each character is
/// drawn uniformly from the alphabet, so every 52-character string of the alphabet is a possible secret and
/// <see cref="TryParse"/> needs no canonical-encoding check.
/// </remarks>
internal static class ApiKeyFormat
{
    /// <summary>The characters of the public id and the secret: lower-case RFC 4648 base32.</summary>
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The length of the public id: 12 characters (60 bits).</summary>
    public const int PublicIdLength = 12;

    /// <summary>The length of the secret: 52 characters (260 bits).</summary>
    public const int SecretLength = 52;

    /// <summary>The longest prefix: 16 characters.</summary>
    public const int MaxPrefixLength = 16;

    /// <summary>The longest text <see cref="TryParse"/> looks at; anything longer is rejected unread.</summary>
    public const int MaxLength = 200;

    private const char Separator = '_';

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>Generates a new key.</summary>
    /// <param name="prefix">The prefix, 1 to 16 lower-case ASCII letters or digits (<see cref="GatewayStorageOptions.ApiKeyPrefix"/>).</param>
    /// <returns>The key and its parts.</returns>
    /// <exception cref="ArgumentException">The prefix is malformed.</exception>
    public static GeneratedApiKey Generate(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException($"An API key prefix must be 1 to {MaxPrefixLength} lower-case ASCII letters or digits.", nameof(prefix));
        }

        var publicId = RandomNumberGenerator.GetString(Alphabet, PublicIdLength);
        var secret = RandomNumberGenerator.GetString(Alphabet, SecretLength);
        return new GeneratedApiKey(publicId, secret, string.Concat(prefix, "_", publicId, "_", secret));
    }

    /// <summary>
    /// Splits a presented key into its public id and secret, or rejects it: wrong prefix, wrong lengths, characters
    /// outside the alphabet, extra parts, empty or longer than <see cref="MaxLength"/>. Runs in time linear in the
    /// key's length and allocates only the public id on success, so malformed keys are turned away before any
    /// database round trip.
    /// </summary>
    /// <param name="presented">The key as presented by a client.</param>
    /// <param name="prefix">The expected prefix.</param>
    /// <param name="publicId">The public id, or an empty string.</param>
    /// <param name="secret">The secret, a slice of <paramref name="presented"/>, or empty.</param>
    /// <returns>Whether the key is well formed.</returns>
    public static bool TryParse(ReadOnlySpan<char> presented, string prefix, out string publicId, out ReadOnlySpan<char> secret)
    {
        publicId = "";
        secret = default;
        if (string.IsNullOrEmpty(prefix)
            || presented.Length > MaxLength
            || presented.Length != prefix.Length + 1 + PublicIdLength + 1 + SecretLength
            || !presented.StartsWith(prefix, StringComparison.Ordinal)
            || presented[prefix.Length] != Separator
            || presented[prefix.Length + 1 + PublicIdLength] != Separator)
        {
            return false;
        }

        var id = presented.Slice(prefix.Length + 1, PublicIdLength);
        var rest = presented[^SecretLength..];
        if (!IsInAlphabet(id) || !IsInAlphabet(rest))
        {
            return false;
        }

        publicId = id.ToString();
        secret = rest;
        return true;
    }

    /// <summary>Whether <paramref name="prefix"/> is 1 to 16 lower-case ASCII letters or digits.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>Whether it can prefix an API key.</returns>
    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength)
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInAlphabet(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(AlphabetValues);
}

/// <summary>A newly generated API key. The full key is shown to its owner once; only a hash of the secret is stored.</summary>
/// <param name="PublicId">The public id, stored in clear and indexed.</param>
/// <param name="Secret">The secret part, hashed with <see cref="ApiKeyHasher"/>.</param>
/// <param name="FullKey">The whole key, <c>&lt;prefix&gt;_&lt;publicId&gt;_&lt;secret&gt;</c>.</param>
internal readonly record struct GeneratedApiKey(string PublicId, string Secret, string FullKey)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"GeneratedApiKey {{ PublicId = {PublicId}, Secret = {Redaction.Mask}, FullKey = {Redaction.Mask} }}";
}
