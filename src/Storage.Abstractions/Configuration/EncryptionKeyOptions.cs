namespace GatewayStorage;

/// <summary>One key of the encryption key ring.</summary>
public sealed class EncryptionKeyOptions
{
    /// <summary>The key's id, stored with every value it encrypts: 1 to 32 letters, digits, <c>-</c> or <c>_</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The key: base64 of exactly 32 random bytes. Never logged.</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// The setting the key was copied from when it was not configured here (<c>ENCRYPTION_KEY</c>), so that messages
    /// name what the user wrote; <see langword="null"/> for a key configured in <c>GatewayStorage:EncryptionKeys</c>.
    /// </summary>
    internal string? Source { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"EncryptionKey {{ Id = {Id}, Key = {Redaction.Mask} }}";
}
