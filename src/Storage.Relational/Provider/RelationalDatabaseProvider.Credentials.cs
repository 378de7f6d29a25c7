namespace GatewayStorage.Relational;

// Declared by the contract; implemented with the issue "Secrets and the remaining domains".
internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateCredentialAsync));

    /// <inheritdoc />
    public Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(GetCredentialAsync));

    /// <inheritdoc />
    public Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default) => throw Pending(nameof(UpdateCredentialAsync));

    /// <inheritdoc />
    public Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteCredentialAsync));

    /// <inheritdoc />
    public Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default) => throw Pending(nameof(ListCredentialsAsync));

    /// <inheritdoc />
    public Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default) => throw Pending(nameof(RecordCredentialUseAsync));

    /// <inheritdoc />
    public Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateCredentialTagAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default) => throw Pending(nameof(ListCredentialTagsAsync));

    /// <inheritdoc />
    public Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default) => throw Pending(nameof(DeleteCredentialTagAsync));

    /// <inheritdoc />
    public Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default) => throw Pending(nameof(TagCredentialAsync));

    /// <inheritdoc />
    public Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default) => throw Pending(nameof(UntagCredentialAsync));

    /// <inheritdoc />
    public Task<IReadOnlyList<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, CancellationToken cancellationToken = default) => throw Pending(nameof(GetCredentialsForTagAsync));
}
