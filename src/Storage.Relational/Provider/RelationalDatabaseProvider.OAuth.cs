using GatewayStorage.Security;

namespace GatewayStorage.Relational;

internal sealed partial class RelationalDatabaseProvider
{
    private const string OAuthProvidersTable = "oauth_providers";
    private const string OAuthTokensTable = "oauth_tokens";
    private const string ClientSecretColumn = "client_secret";
    private const string AccessTokenColumn = "access_token";
    private const string RefreshTokenColumn = "refresh_token";
    private const int MaxOAuthProviderNameLength = 100;
    private const int MaxOAuthTokenLength = 16_000;
    private const int MaxOAuthScopeLength = 200;
    private const int MaxOAuthScopes = 100;

    // An upsert that finds a row, then loses it to a concurrent delete before updating it, starts over; a second
    // round inserts. More rounds mean a pathological delete storm.
    private const int OAuthUpsertAttempts = 3;

    /// <inheritdoc />
    public async Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var name = Check.Name(registration.Name, nameof(OAuthProviderRegistration.Name), MaxOAuthProviderNameLength);
        var clientId = Check.Name(registration.ClientId, nameof(OAuthProviderRegistration.ClientId), 500);
        var clientSecret = CheckOAuthSecret(registration.ClientSecret, nameof(OAuthProviderRegistration.ClientSecret), 4000);
        var authorizationEndpoint = Check.AbsoluteUrl(registration.AuthorizationEndpoint, nameof(OAuthProviderRegistration.AuthorizationEndpoint), "https", "http");
        var tokenEndpoint = Check.AbsoluteUrl(registration.TokenEndpoint, nameof(OAuthProviderRegistration.TokenEndpoint), "https", "http");
        var userInfoEndpoint = registration.UserInfoEndpoint is null
            ? null
            : Check.AbsoluteUrl(registration.UserInfoEndpoint, nameof(OAuthProviderRegistration.UserInfoEndpoint), "https", "http");
        var scopes = ValidateOAuthScopes(registration.Scopes, nameof(OAuthProviderRegistration.Scopes));
        var displayName = Check.OptionalText(registration.DisplayName, nameof(OAuthProviderRegistration.DisplayName), 200);
        var values = new OAuthProviderValues(name, displayName, clientId, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, scopes, registration.IsEnabled);
        var normalizedName = Check.Normalize(name);
        var now = Now();
        var newId = NewId(now);

        // Encrypted before the transaction for the id a new row would get; an existing row needs its own id's ciphertext.
        var newSecret = EncryptClientSecret(clientSecret, newId);

        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                var insert = session.Sql(OAuthSql.InsertProvider)
                    .Guid("id", newId)
                    .Text("normalized_name", normalizedName)
                    .Text(ClientSecretColumn, newSecret);
                var stored = await BindOAuthProvider(insert, values, now)
                    .QuerySingleOrDefaultAsync(ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    // The name is taken: update that row in place, so that it keeps its id (and its users' tokens).
                    var existingId = await session.Sql(OAuthSql.ProviderIdByName).Text("normalized_name", normalizedName)
                        .QuerySingleOrDefaultAsync<Guid?>(static (in Row r) => r.Guid(0), cancellationToken).ConfigureAwait(false);
                    if (existingId is { } id)
                    {
                        var update = session.Sql(OAuthSql.UpdateProvider)
                            .Guid("id", id)
                            .Text(ClientSecretColumn, EncryptClientSecret(clientSecret, id));
                        stored = await BindOAuthProvider(update, values, now)
                            .QuerySingleOrDefaultAsync(ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (stored is not null)
                {
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return stored with { ClientSecret = clientSecret };
                }

                if (attempt == OAuthUpsertAttempts)
                {
                    throw new ConcurrencyConflictException(nameof(OAuthProvider), name, 0);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), MaxOAuthProviderNameLength));
        OAuthProvider? stored;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            stored = await session.Sql(OAuthSql.GetProvider).Text("normalized_name", normalizedName)
                .QuerySingleOrDefaultAsync(ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
        }

        return stored is null ? null : DecryptOAuthProvider(stored);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, CancellationToken cancellationToken = default)
    {
        List<OAuthProvider> rows;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            rows = await session.Sql(enabledOnly ? OAuthSql.ListEnabledProviders : OAuthSql.ListProviders)
                .QueryAsync(ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = DecryptOAuthProvider(rows[i]);
        }

        return rows;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), MaxOAuthProviderNameLength));
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(OAuthSql.DeleteProvider).Text("normalized_name", normalizedName)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var provider = Check.Name(grant.Provider, nameof(OAuthTokenGrant.Provider), MaxOAuthProviderNameLength);
        var accessToken = CheckOAuthSecret(grant.AccessToken, nameof(OAuthTokenGrant.AccessToken), MaxOAuthTokenLength);
        var refreshToken = grant.RefreshToken is null
            ? null
            : CheckOAuthSecret(grant.RefreshToken, nameof(OAuthTokenGrant.RefreshToken), MaxOAuthTokenLength);
        var tokenType = grant.TokenType is null ? null : Check.Name(grant.TokenType, nameof(OAuthTokenGrant.TokenType), 50);
        var scopes = ValidateOAuthScopes(grant.Scopes, nameof(OAuthTokenGrant.Scopes));
        var values = new OAuthTokenValues(grant.UserId, provider, accessToken, refreshToken, tokenType, scopes, StorageTime.Normalize(grant.ExpiresAt));

        try
        {
            return await UpsertOAuthTokenCoreAsync(values, cancellationToken).ConfigureAwait(false);
        }
        catch (ForeignKeyViolationException ex)
        {
            // The provider was found inside the transaction, so the user is the usual culprit; the provider can only
            // be missing when it was deleted between the lookup and the insert.
            if (!await ExistsAsync("users", grant.UserId, cancellationToken).ConfigureAwait(false))
            {
                throw new EntityNotFoundException(nameof(User), grant.UserId.ToString(), ex.InnerException);
            }

            throw new EntityNotFoundException(nameof(OAuthProvider), provider, ex.InnerException);
        }
    }

    private async Task<OAuthToken> UpsertOAuthTokenCoreAsync(OAuthTokenValues values, CancellationToken cancellationToken)
    {
        var now = Now();
        var newId = NewId(now);
        var newAccessToken = EncryptOAuthToken(values.AccessToken, newId, AccessTokenColumn);
        var newRefreshToken = values.RefreshToken is null ? null : EncryptOAuthToken(values.RefreshToken, newId, RefreshTokenColumn);

        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            var provider = await session.Sql(OAuthSql.ProviderKeyByName).Text("normalized_name", Check.Normalize(values.Provider))
                .QuerySingleOrDefaultAsync<(Guid Id, string Name)?>(static (in Row r) => (r.Guid(0), r.Text(1)), cancellationToken)
                .ConfigureAwait(false)
                ?? throw new EntityNotFoundException(nameof(OAuthProvider), values.Provider);

            for (var attempt = 1; ; attempt++)
            {
                var id = newId;
                var insert = session.Sql(OAuthSql.InsertToken)
                    .Guid("id", newId)
                    .Guid("provider_id", provider.Id)
                    .Text(AccessTokenColumn, newAccessToken)
                    .Text(RefreshTokenColumn, newRefreshToken);
                var createdAt = await BindOAuthToken(insert, values, now)
                    .QuerySingleOrDefaultAsync<DateTimeOffset?>(static (in Row r) => r.Time(0), cancellationToken).ConfigureAwait(false);
                if (createdAt is null)
                {
                    // The user already holds tokens from this provider: replace them in place, so the row keeps its id.
                    var existingId = await session.Sql(OAuthSql.TokenId).Guid("user_id", values.UserId).Guid("provider_id", provider.Id)
                        .QuerySingleOrDefaultAsync<Guid?>(static (in Row r) => r.Guid(0), cancellationToken).ConfigureAwait(false);
                    if (existingId is { } existing)
                    {
                        id = existing;
                        var update = session.Sql(OAuthSql.UpdateToken)
                            .Guid("id", existing)
                            .Text(AccessTokenColumn, EncryptOAuthToken(values.AccessToken, existing, AccessTokenColumn))
                            .Text(RefreshTokenColumn, values.RefreshToken is null ? null : EncryptOAuthToken(values.RefreshToken, existing, RefreshTokenColumn));
                        createdAt = await BindOAuthToken(update, values, now)
                            .QuerySingleOrDefaultAsync<DateTimeOffset?>(static (in Row r) => r.Time(0), cancellationToken).ConfigureAwait(false);
                    }
                }

                if (createdAt is { } created)
                {
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return new OAuthToken(id, values.UserId, provider.Name, values.AccessToken, values.RefreshToken, values.TokenType,
                        values.Scopes, values.ExpiresAt, created, now);
                }

                if (attempt == OAuthUpsertAttempts)
                {
                    throw new ConcurrencyConflictException(nameof(OAuthToken), $"{values.UserId}/{provider.Name}", 0);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(provider, nameof(provider), MaxOAuthProviderNameLength));
        OAuthToken? stored;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            stored = await session.Sql(OAuthSql.GetToken).Guid("user_id", userId).Text("normalized_name", normalizedName)
                .QuerySingleOrDefaultAsync(ReadEncryptedOAuthToken, cancellationToken).ConfigureAwait(false);
        }

        return stored is null ? null : DecryptOAuthToken(stored);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        List<OAuthToken> rows;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            rows = await session.Sql(OAuthSql.ListTokens).Guid("user_id", userId)
                .QueryAsync(ReadEncryptedOAuthToken, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = DecryptOAuthToken(rows[i]);
        }

        return rows;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(provider, nameof(provider), MaxOAuthProviderNameLength));
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(OAuthSql.DeleteToken).Guid("user_id", userId).Text("normalized_name", normalizedName)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var cutoff = StorageTime.Normalize(before);
        var batchSize = _options.PruneBatchSize;
        long total = 0;
        var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // One short statement (and transaction) per batch: no long lock on a large table.
            int deleted;
            do
            {
                deleted = await session.Sql(OAuthSql.PruneExpiredTokens).Time("before", cutoff).Int32("limit", batchSize)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
                total += deleted;
            }
            while (deleted >= batchSize);
        }

        return total;
    }

    /// <summary>A secret or token: required, not white space only, bounded, no NUL. Messages never show it.</summary>
    private static string CheckOAuthSecret(string? value, string paramName, int maxLength)
    {
        Check.Secret(value, paramName, maxLength);
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        return value;
    }

    /// <summary>
    /// Scopes are case-sensitive tokens (RFC 6749 §3.3): each 1 to 200 characters without white space or control
    /// characters. Duplicates are dropped; the rest keep the order given, which is the order they are requested in.
    /// </summary>
    private static string[] ValidateOAuthScopes(IEnumerable<string>? scopes, string paramName)
    {
        if (scopes is null)
        {
            return [];
        }

        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            ArgumentException.ThrowIfNullOrEmpty(scope, paramName);
            Check.Storable(scope, paramName);
            if (scope.Length > MaxOAuthScopeLength)
            {
                throw new ArgumentException($"A scope is {scope.Length} characters long; at most {MaxOAuthScopeLength} are allowed.", paramName);
            }

            foreach (var c in scope)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    throw new ArgumentException("A scope must not contain white space or control characters.", paramName);
                }
            }

            if (seen.Add(scope))
            {
                result.Add(scope);
            }
        }

        if (result.Count > MaxOAuthScopes)
        {
            throw new ArgumentException($"At most {MaxOAuthScopes} scopes are allowed.", paramName);
        }

        return [.. result];
    }

    private static string[] SplitOAuthScopes(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private string EncryptClientSecret(string clientSecret, Guid providerId) =>
        _secrets.Keys.Encrypt(clientSecret, new SecretContext(OAuthProvidersTable, providerId, ClientSecretColumn));

    private string EncryptOAuthToken(string token, Guid tokenId, string column) =>
        _secrets.Keys.Encrypt(token, new SecretContext(OAuthTokensTable, tokenId, column));

    private OAuthProvider DecryptOAuthProvider(OAuthProvider stored) => stored with
    {
        ClientSecret = _secrets.Keys.Decrypt(stored.ClientSecret, new SecretContext(OAuthProvidersTable, stored.Id, ClientSecretColumn)),
    };

    private OAuthToken DecryptOAuthToken(OAuthToken stored) => stored with
    {
        AccessToken = _secrets.Keys.Decrypt(stored.AccessToken, new SecretContext(OAuthTokensTable, stored.Id, AccessTokenColumn)),
        RefreshToken = stored.RefreshToken is null
            ? null
            : _secrets.Keys.Decrypt(stored.RefreshToken, new SecretContext(OAuthTokensTable, stored.Id, RefreshTokenColumn)),
    };

    /// <summary>Reads a provider row as stored: <see cref="OAuthProvider.ClientSecret"/> still holds the ciphertext.</summary>
    private static OAuthProvider ReadEncryptedOAuthProvider(in Row r) => new(
        r.Guid(0),
        r.Text(1),
        r.NullableText(2),
        r.Text(3),
        r.Text(4),
        new Uri(r.Text(5), UriKind.Absolute),
        new Uri(r.Text(6), UriKind.Absolute),
        r.NullableText(7) is { } userInfo ? new Uri(userInfo, UriKind.Absolute) : null,
        SplitOAuthScopes(r.Text(8)),
        r.Boolean(9),
        r.Time(10),
        r.Time(11),
        r.Int64(12));

    /// <summary>Reads a token row as stored: the access and refresh tokens still hold their ciphertexts.</summary>
    private static OAuthToken ReadEncryptedOAuthToken(in Row r) => new(
        r.Guid(0),
        r.Guid(1),
        r.Text(2),
        r.Text(3),
        r.NullableText(4),
        r.NullableText(5),
        SplitOAuthScopes(r.Text(6)),
        r.NullableTime(7),
        r.Time(8),
        r.Time(9));

    private static Statement BindOAuthProvider(Statement statement, OAuthProviderValues values, DateTimeOffset now) => statement
        .Text("name", values.Name)
        .Text("display_name", values.DisplayName)
        .Text("client_id", values.ClientId)
        .Text("authorization_endpoint", values.AuthorizationEndpoint.OriginalString)
        .Text("token_endpoint", values.TokenEndpoint.OriginalString)
        .Text("userinfo_endpoint", values.UserInfoEndpoint?.OriginalString)
        .Text("scopes", string.Join(' ', values.Scopes))
        .Boolean("is_enabled", values.IsEnabled)
        .Time("now", now);

    private static Statement BindOAuthToken(Statement statement, OAuthTokenValues values, DateTimeOffset now) => statement
        .Guid("user_id", values.UserId)
        .Text("token_type", values.TokenType)
        .Text("scopes", string.Join(' ', values.Scopes))
        .Time("expires_at", values.ExpiresAt)
        .Time("now", now);

    /// <summary>A validated provider registration, without its secret.</summary>
    private sealed record OAuthProviderValues(
        string Name,
        string? DisplayName,
        string ClientId,
        Uri AuthorizationEndpoint,
        Uri TokenEndpoint,
        Uri? UserInfoEndpoint,
        string[] Scopes,
        bool IsEnabled);

    /// <summary>A validated token grant.</summary>
    private sealed record OAuthTokenValues(
        Guid UserId,
        string Provider,
        string AccessToken,
        string? RefreshToken,
        string? TokenType,
        string[] Scopes,
        DateTimeOffset? ExpiresAt)
    {
        // Never print the tokens, should this record ever reach a log or a debugger display.
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append("UserId = ").Append(UserId).Append(", Provider = ").Append(Provider);
            return true;
        }
    }
}
