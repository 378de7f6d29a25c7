namespace GatewayStorage.Security;

/// <summary>The capability behind <see cref="EncryptionKeyRotator"/>; the relational provider of both backends implements it.</summary>
internal interface IKeyRotationTarget
{
    /// <summary>Re-encrypts every value under the newest key; see <see cref="EncryptionKeyRotator.RotateAsync"/>.</summary>
    Task<KeyRotationReport> RotateKeysAsync(int batchSize, IProgress<KeyRotationProgress>? progress, CancellationToken cancellationToken);
}
