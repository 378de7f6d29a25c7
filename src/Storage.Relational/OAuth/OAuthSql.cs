namespace GatewayStorage.Relational;

/// <summary>The statements of the OAuth provider and token stores; standard SQL that runs unchanged on both engines.</summary>
internal static class OAuthSql
{
    /// <summary>Provider columns 0–12; column 4 is the encrypted client secret.</summary>
    private const string ProviderColumns =
        "id, name, display_name, client_id, client_secret, authorization_endpoint, token_endpoint, userinfo_endpoint, scopes, " +
        "is_enabled, created_at, updated_at, version";

    // DO NOTHING, not DO UPDATE: the client secret's ciphertext is bound to the row id, so an existing row is
    // updated in a second statement with a ciphertext computed for its own id.
    public const string InsertProvider =
        "INSERT INTO oauth_providers (id, name, normalized_name, display_name, client_id, client_secret, authorization_endpoint, " +
        "token_endpoint, userinfo_endpoint, scopes, is_enabled, created_at, updated_at, version) " +
        "VALUES (@id, @name, @normalized_name, @display_name, @client_id, @client_secret, @authorization_endpoint, " +
        "@token_endpoint, @userinfo_endpoint, @scopes, @is_enabled, @now, @now, 1) " +
        "ON CONFLICT (normalized_name) DO NOTHING RETURNING " + ProviderColumns;

    public const string ProviderIdByName = "SELECT id FROM oauth_providers WHERE normalized_name = @normalized_name";

    public const string UpdateProvider =
        "UPDATE oauth_providers SET name = @name, display_name = @display_name, client_id = @client_id, client_secret = @client_secret, " +
        "authorization_endpoint = @authorization_endpoint, token_endpoint = @token_endpoint, userinfo_endpoint = @userinfo_endpoint, " +
        "scopes = @scopes, is_enabled = @is_enabled, updated_at = @now, version = version + 1 WHERE id = @id RETURNING " + ProviderColumns;

    public const string GetProvider = "SELECT " + ProviderColumns + " FROM oauth_providers WHERE normalized_name = @normalized_name";

    private const string ProviderFilter = "(@is_enabled IS NULL OR is_enabled = @is_enabled)";

    public const string ListProvidersFirst =
        "SELECT " + ProviderColumns + " FROM oauth_providers WHERE " + ProviderFilter + " ORDER BY normalized_name LIMIT @limit";

    public const string ListProvidersAfter =
        "SELECT " + ProviderColumns + " FROM oauth_providers WHERE normalized_name > @after AND " + ProviderFilter + " ORDER BY normalized_name LIMIT @limit";

    // Tokens go with the provider through ON DELETE CASCADE, in the same statement.
    public const string DeleteProvider = "DELETE FROM oauth_providers WHERE normalized_name = @normalized_name";

    /// <summary>The provider a token refers to: its id and its name as registered.</summary>
    public const string ProviderKeyByName = "SELECT id, name FROM oauth_providers WHERE normalized_name = @normalized_name";

    /// <summary>Token columns 0–9 with the provider's name; columns 3 and 4 are the encrypted access and refresh tokens.</summary>
    private const string SelectTokens =
        "SELECT t.id, t.user_id, p.name, t.access_token, t.refresh_token, t.token_type, t.scopes, t.expires_at, t.created_at, t.updated_at " +
        "FROM oauth_tokens t JOIN oauth_providers p ON p.id = t.provider_id";

    // DO NOTHING for the same reason as the provider: an existing row is updated with ciphertexts bound to its id.
    public const string InsertToken =
        "INSERT INTO oauth_tokens (id, user_id, provider_id, access_token, refresh_token, token_type, scopes, expires_at, created_at, updated_at) " +
        "VALUES (@id, @user_id, @provider_id, @access_token, @refresh_token, @token_type, @scopes, @expires_at, @now, @now) " +
        "ON CONFLICT (user_id, provider_id) DO NOTHING RETURNING created_at";

    public const string CountTokensForUser = "SELECT COUNT(*) FROM oauth_tokens WHERE user_id = @user_id";

    public const string TokenId = "SELECT id FROM oauth_tokens WHERE user_id = @user_id AND provider_id = @provider_id";

    public const string UpdateToken =
        "UPDATE oauth_tokens SET access_token = @access_token, refresh_token = @refresh_token, token_type = @token_type, scopes = @scopes, " +
        "expires_at = @expires_at, updated_at = @now WHERE id = @id RETURNING created_at";

    public const string GetToken = SelectTokens + " WHERE t.user_id = @user_id AND p.normalized_name = @normalized_name";

    public const string ListTokens = SelectTokens + " WHERE t.user_id = @user_id ORDER BY p.normalized_name";

    public const string DeleteToken =
        "DELETE FROM oauth_tokens WHERE user_id = @user_id AND provider_id = " +
        "(SELECT id FROM oauth_providers WHERE normalized_name = @normalized_name)";

    // A token with a refresh token stays: the gateway can still renew it.
    public const string PruneExpiredTokens =
        "DELETE FROM oauth_tokens WHERE id IN " +
        "(SELECT id FROM oauth_tokens WHERE expires_at < @before AND refresh_token IS NULL LIMIT @limit)";

    public const string StreamProvidersFirst = "SELECT " + ProviderColumns + " FROM oauth_providers ORDER BY id LIMIT @limit";

    public const string StreamProvidersAfter = "SELECT " + ProviderColumns + " FROM oauth_providers WHERE id > @after ORDER BY id LIMIT @limit";

    /// <summary>Token columns as stored: the provider's id, not its name; columns 3 and 4 are the ciphertexts.</summary>
    private const string StoredTokenColumns =
        "SELECT id, user_id, provider_id, access_token, refresh_token, token_type, scopes, expires_at, created_at, updated_at FROM oauth_tokens";

    public const string StreamTokensFirst = StoredTokenColumns + " ORDER BY id LIMIT @limit";

    public const string StreamTokensAfter = StoredTokenColumns + " WHERE id > @after ORDER BY id LIMIT @limit";

    /// <summary>Reads a provider row as stored: <see cref="OAuthProvider.ClientSecret"/> still holds the ciphertext.</summary>
    public static OAuthProvider ReadEncryptedOAuthProvider(in Row r) => new(
        r.Guid(0),
        r.Text(1),
        r.NullableText(2),
        r.Text(3),
        r.Text(4),
        new Uri(r.Text(5), UriKind.Absolute),
        new Uri(r.Text(6), UriKind.Absolute),
        r.NullableText(7) is { } userInfo ? new Uri(userInfo, UriKind.Absolute) : null,
        ScopeSet.Split(r.Text(8)),
        r.Boolean(9),
        r.Time(10),
        r.Time(11),
        r.Int64(12));

    /// <summary>Reads a token row as stored: the access and refresh tokens still hold their ciphertexts.</summary>
    public static OAuthToken ReadEncryptedOAuthToken(in Row r) => new(
        r.Guid(0),
        r.Guid(1),
        r.Text(2),
        r.Text(3),
        r.NullableText(4),
        r.NullableText(5),
        ScopeSet.Split(r.Text(6)),
        r.NullableTime(7),
        r.Time(8),
        r.Time(9));
}
