namespace GatewayStorage;

/// <summary>Stores credentials (secrets encrypted at rest) and the tags that group them by priority.</summary>
public interface ICredentialStore
{
    /// <summary>Creates a credential.</summary>
    /// <param name="credential">The credential.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored credential.</returns>
    Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default);

    /// <summary>Gets a credential by id.</summary>
    /// <param name="id">The credential's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The credential, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="SecretDecryptionException">The secret was encrypted under a key that is not configured.</exception>
    Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Saves the username, secret and description of a credential, provided its version is still the stored one.</summary>
    /// <param name="credential">The credential as read, with the changes applied.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored credential with its new version.</returns>
    /// <exception cref="ConcurrencyConflictException">The credential was changed or deleted since it was read.</exception>
    Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default);

    /// <summary>Deletes a credential and its tag links.</summary>
    /// <param name="id">The credential's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a credential was deleted.</returns>
    Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists credentials in creation order, one keyset page at a time.</summary>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of credentials.</returns>
    /// <exception cref="SecretDecryptionException">
    /// A credential on the page has a secret that cannot be decrypted (its key was retired from the ring, or the value
    /// was altered): the whole call fails, and the message names that row (<c>credential &lt;id&gt;</c>, column
    /// <c>credentials.secret</c>) and the key id (<see cref="SecretDecryptionException.KeyId"/>), never the secret.
    /// </exception>
    Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Records one use of a credential: adds to its success or failure count and sets its last-used time.</summary>
    /// <param name="id">The credential's id.</param>
    /// <param name="succeeded">Whether the use succeeded.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the credential exists.</returns>
    Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default);

    /// <summary>Creates a tag.</summary>
    /// <param name="name">The name, 1 to 100 characters, unique case-insensitively.</param>
    /// <param name="description">What the tag stands for.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored tag.</returns>
    /// <exception cref="DuplicateKeyException">A tag with the same name exists.</exception>
    Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Lists every tag in name order.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The tags.</returns>
    Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a tag and its links (not the credentials).</summary>
    /// <param name="id">The tag's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a tag was deleted.</returns>
    Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Tags a credential with a priority, or changes the priority when it is already tagged.</summary>
    /// <param name="credentialId">The credential.</param>
    /// <param name="tagId">The tag.</param>
    /// <param name="priority">The priority under the tag; higher is tried first.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>A task that completes when the link is stored.</returns>
    /// <exception cref="EntityNotFoundException">The credential or the tag does not exist.</exception>
    Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag from a credential.</summary>
    /// <param name="credentialId">The credential.</param>
    /// <param name="tagId">The tag.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a link was removed.</returns>
    Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the credentials under a tag, highest priority first (equal priorities by credential id), one keyset page
    /// at a time: a tag may hold many credentials.
    /// </summary>
    /// <param name="tagId">The tag.</param>
    /// <param name="page">Which page; <see cref="PageRequest.First"/> for the first.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of credentials with their priorities and decrypted secrets; empty for an unknown tag.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="page"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The cursor is not one this tag's list returned.</exception>
    /// <exception cref="SecretDecryptionException">
    /// A credential under the tag has a secret that cannot be decrypted: the whole call fails, and the message names
    /// that row (<c>credential &lt;id&gt;</c>, column <c>credentials.secret</c>) and the key id, never the secret.
    /// </exception>
    Task<Page<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, PageRequest page, CancellationToken cancellationToken = default);
}
