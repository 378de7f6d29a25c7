namespace GatewayStorage;

/// <summary>Stores the OAuth providers users sign in with. Client secrets are encrypted at rest.</summary>
public interface IOAuthProviderStore
{
    /// <summary>Registers a provider, or updates the one with the same name (which keeps its id).</summary>
    /// <param name="registration">The provider.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored provider.</returns>
    /// <exception cref="ArgumentException">A field is missing, too long or malformed.</exception>
    Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Gets a provider by name, compared case-insensitively.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The provider, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="SecretDecryptionException">The client secret was encrypted under a key that is not configured.</exception>
    Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists providers in name order (compared case-insensitively), one keyset page at a time.</summary>
    /// <param name="enabledOnly">Whether to list only enabled providers.</param>
    /// <param name="page">Which page; <see cref="PageRequest.First"/> for the first.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of providers, with their client secrets decrypted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="page"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The cursor is not one this list (this <paramref name="enabledOnly"/>) returned.</exception>
    /// <exception cref="SecretDecryptionException">
    /// A listed provider's client secret cannot be decrypted (its key was retired from the ring, or the value was altered):
    /// the whole call fails, and the message names that row (<c>OAuth provider &lt;id&gt;</c>, column
    /// <c>oauth_providers.client_secret</c>) and the key id (<see cref="SecretDecryptionException.KeyId"/>), never the secret.
    /// Re-register the provider, or add the key back, to make the list readable again.
    /// </exception>
    Task<Page<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes a provider and the tokens users hold from it.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a provider was deleted.</returns>
    Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default);
}
