using System.Runtime.CompilerServices;
using GatewayStorage.Security;

namespace GatewayStorage.Relational;

/// <summary>OAuth tokens per (user, provider): access and refresh tokens encrypted per row and column.</summary>
internal sealed class OAuthTokenStore(StoreContext context) : IOAuthTokenStore
{
    private const string Table = "oauth_tokens";
    private const string AccessTokenColumn = "access_token";
    private const string RefreshTokenColumn = "refresh_token";
    private const int MaxTokenLength = 16_000;

    /// <summary>The encrypted columns of the table, for key rotation.</summary>
    internal static readonly EncryptedColumn[] EncryptedColumns = [new(Table, AccessTokenColumn), new(Table, RefreshTokenColumn)];

    /// <inheritdoc />
    public async Task<OAuthToken> UpsertOAuthTokenAsync(OAuthTokenGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var provider = Check.Name(grant.Provider, nameof(OAuthTokenGrant.Provider), OAuthProviderStore.MaxNameLength);
        var accessToken = OAuthProviderStore.CheckSecret(grant.AccessToken, nameof(OAuthTokenGrant.AccessToken), MaxTokenLength);
        var refreshToken = grant.RefreshToken is null
            ? null
            : OAuthProviderStore.CheckSecret(grant.RefreshToken, nameof(OAuthTokenGrant.RefreshToken), MaxTokenLength);
        var tokenType = grant.TokenType is null ? null : Check.Name(grant.TokenType, nameof(OAuthTokenGrant.TokenType), 50);
        var scopes = ScopeSet.Validate(grant.Scopes, nameof(OAuthTokenGrant.Scopes));
        var values = new OAuthTokenValues(grant.UserId, provider, accessToken, refreshToken, tokenType, scopes, StorageTime.Normalize(grant.ExpiresAt));

        try
        {
            return await UpsertOAuthTokenCoreAsync(values, cancellationToken).ConfigureAwait(false);
        }
        catch (ForeignKeyViolationException ex)
        {
            // The provider was found inside the transaction, so the user is the usual culprit; the provider can only
            // be missing when it was deleted between the lookup and the insert.
            if (!await context.ExistsAsync("users", grant.UserId, cancellationToken).ConfigureAwait(false))
            {
                throw new EntityNotFoundException(nameof(User), grant.UserId.ToString(), ex.InnerException);
            }

            throw new EntityNotFoundException(nameof(OAuthProvider), provider, ex.InnerException);
        }
    }

    private async Task<OAuthToken> UpsertOAuthTokenCoreAsync(OAuthTokenValues values, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var now = context.Now();
        var newId = context.NewId(now);
        var newAccessToken = EncryptOAuthToken(values.AccessToken, newId, AccessTokenColumn);
        var newRefreshToken = values.RefreshToken is null ? null : EncryptOAuthToken(values.RefreshToken, newId, RefreshTokenColumn);

        var session = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginAsync(cancellationToken).ConfigureAwait(false);
            var provider = await session.Sql(OAuthSql.ProviderKeyByName).Text("normalized_name", Check.Normalize(values.Provider))
                .QuerySingleOrDefaultAsync<(Guid Id, string Name)?>(static (in Row r) => (r.Guid(0), r.Text(1)), cancellationToken)
                .ConfigureAwait(false)
                ?? throw new EntityNotFoundException(nameof(OAuthProvider), values.Provider);
            await PerUserLimit.LockUserAsync(session, values.UserId, cancellationToken).ConfigureAwait(false);

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
                    await PerUserLimit.EnsureWithinAsync(
                        session, values.UserId, OAuthSql.CountTokensForUser, IOAuthTokenStore.MaxOAuthTokensPerUser, nameof(OAuthToken), cancellationToken)
                        .ConfigureAwait(false);
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return new OAuthToken(id, values.UserId, provider.Name, values.AccessToken, values.RefreshToken, values.TokenType,
                        values.Scopes, values.ExpiresAt, created, now);
                }

                if (attempt == OAuthProviderStore.UpsertAttempts)
                {
                    throw new ConcurrencyConflictException(nameof(OAuthToken), $"{values.UserId}/{provider.Name}", 0);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<OAuthToken?> GetOAuthTokenAsync(Guid userId, string provider, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(provider, nameof(provider), OAuthProviderStore.MaxNameLength));
        OAuthToken? stored;
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            stored = await session.Sql(OAuthSql.GetToken).Guid("user_id", userId).Text("normalized_name", normalizedName)
                .QuerySingleOrDefaultAsync(OAuthSql.ReadEncryptedOAuthToken, cancellationToken).ConfigureAwait(false);
        }

        return stored is null ? null : DecryptOAuthToken(stored);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OAuthToken>> ListOAuthTokensAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        List<OAuthToken> rows;
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            rows = await session.Sql(OAuthSql.ListTokens).Guid("user_id", userId)
                .QueryAsync(OAuthSql.ReadEncryptedOAuthToken, cancellationToken).ConfigureAwait(false);
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
        var normalizedName = Check.Normalize(Check.Name(provider, nameof(provider), OAuthProviderStore.MaxNameLength));
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(OAuthSql.DeleteToken).Guid("user_id", userId).Text("normalized_name", normalizedName)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public Task<long> PruneExpiredOAuthTokensAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        BatchedDelete.RunAsync(context, Table, OAuthSql.PruneExpiredTokens, before, cancellationToken);

    private string EncryptOAuthToken(string token, Guid tokenId, string column) =>
        context.Secrets.Keys.Encrypt(token, new SecretContext(Table, tokenId, column));

    private OAuthToken DecryptOAuthToken(OAuthToken stored) => stored with
    {
        AccessToken = context.Decrypt(stored.AccessToken, new SecretContext(Table, stored.Id, AccessTokenColumn)),
        RefreshToken = stored.RefreshToken is null
            ? null
            : context.Decrypt(stored.RefreshToken, new SecretContext(Table, stored.Id, RefreshTokenColumn)),
    };

    private static Statement BindOAuthToken(Statement statement, OAuthTokenValues values, DateTimeOffset now) => statement
        .Guid("user_id", values.UserId)
        .Text("token_type", values.TokenType)
        .Text("scopes", ScopeSet.Join(values.Scopes))
        .Time("expires_at", values.ExpiresAt)
        .Time("now", now);

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

    /// <summary>Streams every token as stored, in id order (see <see cref="IDataStreams.StreamOAuthTokensAsync"/>).</summary>
    public IAsyncEnumerable<OAuthTokenRow> StreamOAuthTokensAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, OAuthSql.StreamTokensFirst, OAuthSql.StreamTokensAfter,
            static (in Row r) => new OAuthTokenRow(
                r.Guid(0), r.Guid(1), r.Guid(2), r.Text(3), r.NullableText(4), r.NullableText(5), ScopeSet.Split(r.Text(6)),
                r.NullableTime(7), r.Time(8), r.Time(9)),
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
