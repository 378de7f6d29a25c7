namespace GatewayStorage.Security;

/// <summary>What <see cref="EncryptionKeyRotator.RotateAsync"/> did.</summary>
/// <param name="KeyId">The id (fingerprint) of the newest key, under which every value now is.</param>
/// <param name="Tables">Per table holding encrypted values, what was re-encrypted.</param>
public sealed record KeyRotationReport(string KeyId, IReadOnlyList<KeyRotationTableResult> Tables)
{
    /// <summary>How many values were re-encrypted in all.</summary>
    public long Rotated => Tables.Sum(t => t.Rotated);

    /// <summary>How many values a concurrent write replaced while the rotation ran (see <see cref="KeyRotationTableResult.Changed"/>).</summary>
    public long Changed => Tables.Sum(t => t.Changed);
}
