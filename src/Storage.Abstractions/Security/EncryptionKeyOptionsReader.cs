using System.Security.Cryptography;

namespace GatewayStorage.Security;

/// <summary>
/// Reads <see cref="GatewayStorageOptions.EncryptionKeys"/> into an <see cref="EncryptionKeyRing"/>, with messages that
/// name the setting the user wrote (<c>ENCRYPTION_KEY</c> or <c>GatewayStorage:EncryptionKeys:n</c>) and never a key.
/// </summary>
internal static class EncryptionKeyOptionsReader
{
    /// <summary>Builds the ring from <see cref="GatewayStorageOptions.EncryptionKeys"/> (base64 keys).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="StorageConfigurationException">No key is configured, or a key is malformed.</exception>
    public static EncryptionKeyRing Read(GatewayStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var section = GatewayStorageOptions.SectionName + ":EncryptionKeys";
        var source = options.EncryptionKeys.Count > 0 && options.EncryptionKeys.All(k => k.Source is not null)
            ? options.EncryptionKeys[0].Source!
            : section;
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
                    // A key copied from ENCRYPTION_KEY is named by the variable the user wrote, not by its position.
                    throw new StorageConfigurationException(entry.Source is { } variable
                        ? $"{variable} must be base64 of exactly {EncryptionKeyRing.KeySize} bytes (generate one with: openssl rand -base64 32)."
                        : $"{section}:{i}: {problem}");
                }

                seen.Add(entry.Id);
            }

            try
            {
                return new EncryptionKeyRing(decoded, source);
            }
            catch (ArgumentException exception)
            {
                throw new StorageConfigurationException($"{section}: {exception.Message}", exception);
            }
        }
        finally
        {
            foreach (var pair in decoded)
            {
                CryptographicOperations.ZeroMemory(pair.Value);
            }
        }
    }

    // Names the key by position, not by id, when the id itself is malformed: a misplaced key could sit in the id field.
    internal static string? Problem(int position, string? id, int keyLength, List<string> seen)
    {
        if (id is null || !EncryptionKeyRing.IsValidKeyId(id))
        {
            return $"The encryption key at position {position} has an invalid id; use 1 to {EncryptionKeyRing.MaxKeyIdLength} ASCII letters, digits, '-' or '_'.";
        }

        if (seen.Contains(id, StringComparer.Ordinal))
        {
            return $"The encryption key id '{id}' is used more than once; key ids must be unique.";
        }

        if (keyLength < 0)
        {
            return $"The encryption key '{id}' is not valid base64 (generate one with: openssl rand -base64 32).";
        }

        if (keyLength != EncryptionKeyRing.KeySize)
        {
            return $"The encryption key '{id}' must be exactly {EncryptionKeyRing.KeySize} bytes (it is {keyLength}).";
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
}
