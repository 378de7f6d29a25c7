namespace GatewayStorage;

/// <summary>Stores the OAuth tokens users hold, one set per (user, provider). Tokens are encrypted at rest.</summary>
public interface IOAuthTokenStore
{
    /// <summary>The most OAuth tokens one user may hold (one per provider): 100.</summary>
    const int MaxOAuthTokensPerUser = 100;

    /// <summary>Stores a user's tokens from a provider, replacing any previous ones (the row keeps its id).</summary>
    /// <param name="grant">The tokens.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored tokens.</returns>
    /// <exception cref="EntityNotFoundException">The user or the provider does not exist.</exception>
    /// <exception cref="LimitExceededException">
    /// The grant is from a new provider and the user already holds tokens from <see cref="MaxOAuthTokensPerUser"/> providers; nothing is written.
    /// </exception>
    Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default);

    /// <summary>Gets a user's tokens from a provider.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The tokens, or <see langword="null"/> when there are none.</returns>
    Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists a user's tokens, in provider-name order. The list is bounded, not paged: a user holds one token set per
    /// provider and at most <see cref="MaxOAuthTokensPerUser"/>, which <see cref="UpsertOAuthTokenAsync"/> enforces.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The tokens, at most <see cref="MaxOAuthTokensPerUser"/>.</returns>
    /// <exception cref="SecretDecryptionException">
    /// A token of the user cannot be decrypted: the whole call fails, and the message names that row
    /// (<c>OAuth token &lt;id&gt;</c> and its column) and the key id, never the token.
    /// </exception>
    Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user's tokens from a provider.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when tokens were deleted.</returns>
    Task<bool> DeleteOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default);

    /// <summary>Deletes, in bounded batches, every token whose access token expired before a time and that has no refresh token.</summary>
    /// <param name="before">The cut-off time.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>How many token rows were deleted.</returns>
    Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
