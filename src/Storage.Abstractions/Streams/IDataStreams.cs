namespace GatewayStorage;

/// <summary>
/// Streams every stored row of each table, in key order, for copying and exporting a database. Each stream reads
/// in keyset batches of <see cref="GatewayStorageOptions.StreamBatchSize"/> rows (<c>WHERE key &gt; last ORDER BY key</c>),
/// each batch a bounded query on its own short read session: memory stays flat, no connection or transaction is held
/// between batches (nor while the caller works on a row), and on SQLite the writer lock is never taken.
/// </summary>
/// <remarks>
/// <para>
/// A stream is not a snapshot: a row changed or deleted ahead of the cursor is read as it is when its batch runs, a
/// row inserted behind the cursor (with a key lower than the last one returned) is not returned, and no row is ever
/// returned twice. Quiesce writers for a consistent copy.
/// </para>
/// <para>
/// The rows are the stored form: ids, versions and times as stored. Encrypted secrets come as their ciphertext
/// (<see cref="OAuthProviderRow"/>, <see cref="OAuthTokenRow"/>, <see cref="CredentialRow"/>), so a copy moves them
/// unchanged without a key and never sees a plaintext; the ciphertext is bound to its row id and column, so the copy
/// must keep the ids. API-key hashes, session-token hashes and single-use-token hashes are not exposed.
/// </para>
/// <para>
/// Pass the token either as the argument or through <c>WithCancellation</c>; cancelling stops the enumeration with an
/// <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public interface IDataStreams
{
    /// <summary>Streams every row of the users (table <c>users</c>), in id order; each with its id, times and version.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<User> StreamUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the roles (table <c>roles</c>), in id order; each with its permissions (sorted ordinally), system flag, times and version.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<Role> StreamRolesAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the user-role assignments (table <c>user_roles</c>); ordered by user id, then role id.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<UserRoleAssignment> StreamUserRolesAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the directory group mappings (table <c>directory_mappings</c>), in id order; each with its id and times.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<DirectoryGroupMapping> StreamDirectoryMappingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the OAuth providers (table <c>oauth_providers</c>), in id order; with the client secret as stored ciphertext.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<OAuthProviderRow> StreamOAuthProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the OAuth tokens (table <c>oauth_tokens</c>), in id order; with the access and refresh tokens as stored ciphertext.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<OAuthTokenRow> StreamOAuthTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the API keys (table <c>api_keys</c>), in id order; without their secrets or secret hashes.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<ApiKey> StreamApiKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the API-key usage windows (table <c>api_key_usage</c>); ordered by key id, window length, then window start.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<ApiKeyUsage> StreamApiKeyUsageAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the config entries (table <c>config_entries</c>); ordered by key (ordinal), each with its version.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<ConfigEntry> StreamConfigEntriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the MCP servers (table <c>mcp_servers</c>), in id order; each with its tags (sorted ordinally), times and version.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<McpServer> StreamMcpServersAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the credentials (table <c>credentials</c>), in id order; with the secret as stored ciphertext.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<CredentialRow> StreamCredentialsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the credential tags (table <c>credential_tags</c>), in id order; each with its id and creation time.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<CredentialTag> StreamCredentialTagsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the credential-tag links (table <c>credential_tag_links</c>); ordered by credential id, then tag id.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<CredentialTagLink> StreamCredentialTagLinksAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the login sessions (table <c>sessions</c>), in id order; expired and revoked ones included, never the token or its hash.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<LoginSession> StreamSessionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the single-use tokens (table <c>single_use_tokens</c>), in id order; consumed and expired ones included, never the token or its hash.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<SingleUseToken> StreamSingleUseTokensAsync(CancellationToken cancellationToken = default);

    /// <summary>Streams every row of the audit entries (table <c>audit_log</c>); oldest id first.</summary>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The rows, batch by batch.</returns>
    IAsyncEnumerable<AuditEntry> StreamAuditEntriesAsync(CancellationToken cancellationToken = default);
}
