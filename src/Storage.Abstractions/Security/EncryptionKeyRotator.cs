namespace GatewayStorage.Security;

/// <summary>
/// Re-encrypts every secret stored at rest (OAuth client secrets, OAuth access and refresh tokens, credential secrets)
/// under the newest key of the provider's key ring, so that older keys can be retired.
/// </summary>
/// <remarks>
/// <para>To rotate: append a new key to <c>GatewayStorage:EncryptionKeys</c> (the last one encrypts, all decrypt), run
/// the rotation, then remove the old keys. API keys are hashed, not encrypted, and are not touched: keep the API-key
/// hashing key (<see cref="GatewayStorageOptions.ApiKeyHashKey"/>, by default derived from the FIRST key) as it was.</para>
/// <para>Values are rotated column by column in batches of <c>batchSize</c> rows, each batch its own short transaction,
/// so the database stays usable while it runs. Each update only replaces the value it read, so a concurrent write is
/// never lost. Rotation is resumable: values already under the newest key are skipped, so a cancelled or failed
/// rotation is simply run again.</para>
/// </remarks>
public static class EncryptionKeyRotator
{
    /// <summary>The default number of rows per batch: 500.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>The largest number of rows per batch: 100,000.</summary>
    public const int MaxBatchSize = 100_000;

    /// <summary>Re-encrypts every encrypted value of <paramref name="provider"/> under its newest key.</summary>
    /// <param name="provider">The provider, opened with every key the stored values are under plus the new one last.</param>
    /// <param name="batchSize">Rows per batch and transaction, 1 to <see cref="MaxBatchSize"/>. Defaults to <see cref="DefaultBatchSize"/>.</param>
    /// <param name="progress">Receives progress per table, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to cancel the operation. Batches committed before it stay committed.</param>
    /// <returns>Per table, how many values were re-encrypted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    /// <exception cref="NotSupportedException">The provider is not one of this library's backends.</exception>
    /// <exception cref="SecretDecryptionException">
    /// A value is under a key the ring does not hold (the message names the row, the column and the key id), or was
    /// altered. Batches before it stay committed; add the key and run the rotation again.
    /// </exception>
    /// <exception cref="StorageException">An engine failed; batches before the failure stay committed.</exception>
    public static Task<KeyRotationReport> RotateAsync(
        IDatabaseProvider provider,
        int batchSize = DefaultBatchSize,
        IProgress<KeyRotationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        if (provider.Capability<IKeyRotationTarget>() is not { } target)
        {
            throw new NotSupportedException($"The provider ({provider.GetType().Name}) is not a GatewayStorage backend; its keys cannot be rotated.");
        }

        return target.RotateKeysAsync(batchSize, progress, cancellationToken);
    }
}
