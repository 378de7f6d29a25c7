using GatewayStorage.Security;

namespace GatewayStorage.Relational;

/// <summary>OAuth providers: client ids and secrets (encrypted per row), endpoints and scopes.</summary>
internal sealed class OAuthProviderStore(StoreContext context) : IOAuthProviderStore
{
    internal const string Table = "oauth_providers";
    internal const string ClientSecretColumn = "client_secret";

    /// <summary>The encrypted columns of the table, for key rotation.</summary>
    internal static readonly EncryptedColumn[] EncryptedColumns = [new(Table, ClientSecretColumn)];
    internal const int MaxNameLength = 100;

    // An upsert that finds a row, then loses it to a concurrent delete before updating it, starts over; a second
    // round inserts. More rounds mean a pathological delete storm.
    internal const int UpsertAttempts = 3;

    /// <inheritdoc />
    public async Task<OAuthProvider> UpsertOAuthProviderAsync(OAuthProviderRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var name = Check.Name(registration.Name, nameof(OAuthProviderRegistration.Name), MaxNameLength);
        var clientId = Check.Name(registration.ClientId, nameof(OAuthProviderRegistration.ClientId), 500);
        var clientSecret = CheckSecret(registration.ClientSecret, nameof(OAuthProviderRegistration.ClientSecret), 4000);
        var authorizationEndpoint = Check.AbsoluteUrl(registration.AuthorizationEndpoint, nameof(OAuthProviderRegistration.AuthorizationEndpoint), "https", "http");
        var tokenEndpoint = Check.AbsoluteUrl(registration.TokenEndpoint, nameof(OAuthProviderRegistration.TokenEndpoint), "https", "http");
        var userInfoEndpoint = registration.UserInfoEndpoint is null
            ? null
            : Check.AbsoluteUrl(registration.UserInfoEndpoint, nameof(OAuthProviderRegistration.UserInfoEndpoint), "https", "http");
        var scopes = ScopeSet.Validate(registration.Scopes, nameof(OAuthProviderRegistration.Scopes));
        var displayName = Check.OptionalText(registration.DisplayName, nameof(OAuthProviderRegistration.DisplayName), 200);
        var values = new OAuthProviderValues(name, displayName, clientId, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, scopes, registration.IsEnabled);
        var normalizedName = Check.Normalize(name);
        var now = context.Now();
        var newId = context.NewId(now);

        // Encrypted before the transaction for the id a new row would get; an existing row needs its own id's ciphertext.
        var newSecret = EncryptClientSecret(clientSecret, newId);

        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
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
                    .QuerySingleOrDefaultAsync(OAuthSql.ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
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
                            .QuerySingleOrDefaultAsync(OAuthSql.ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (stored is not null)
                {
                    await session.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return stored with { ClientSecret = clientSecret };
                }

                if (attempt == UpsertAttempts)
                {
                    throw new ConcurrencyConflictException(nameof(OAuthProvider), name, 0);
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<OAuthProvider?> GetOAuthProviderAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), MaxNameLength));
        OAuthProvider? stored;
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            stored = await session.Sql(OAuthSql.GetProvider).Text("normalized_name", normalizedName)
                .QuerySingleOrDefaultAsync(OAuthSql.ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
        }

        return stored is null ? null : DecryptOAuthProvider(stored);
    }

    /// <inheritdoc />
    public async Task<Page<OAuthProvider>> ListOAuthProvidersAsync(bool enabledOnly, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var list = enabledOnly ? "oauth-providers-enabled" : "oauth-providers";
        var after = KeysetCursor.Decode(list, page.Cursor);
        List<OAuthProvider> rows;
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? OAuthSql.ListProvidersFirst : OAuthSql.ListProvidersAfter)
                .Boolean("is_enabled", enabledOnly ? true : null)
                .Int32("limit", page.Limit + 1);
            if (after is not null)
            {
                statement.Text("after", after);
            }

            rows = await statement.QueryAsync(OAuthSql.ReadEncryptedOAuthProvider, cancellationToken).ConfigureAwait(false);
        }

        // Cut to the page before decrypting: the extra row only says that another page follows.
        var result = KeysetCursor.ToPage(rows, page, list, static p => Check.Normalize(p.Name));
        return result with { Items = [.. result.Items.Select(DecryptOAuthProvider)] };
    }

    /// <inheritdoc />
    public async Task<bool> DeleteOAuthProviderAsync(string name, CancellationToken cancellationToken = default)
    {
        var normalizedName = Check.Normalize(Check.Name(name, nameof(name), MaxNameLength));
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(OAuthSql.DeleteProvider).Text("normalized_name", normalizedName)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <summary>A secret or token: required, not white space only, bounded, no NUL. Messages never show it.</summary>
    internal static string CheckSecret(string? value, string paramName, int maxLength)
    {
        Check.Secret(value, paramName, maxLength);
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        return value;
    }

    private string EncryptClientSecret(string clientSecret, Guid providerId) =>
        context.Secrets.Keys.Encrypt(clientSecret, new SecretContext(Table, providerId, ClientSecretColumn));

    private OAuthProvider DecryptOAuthProvider(OAuthProvider stored) => stored with
    {
        ClientSecret = context.Decrypt(stored.ClientSecret, new SecretContext(Table, stored.Id, ClientSecretColumn)),
    };

    private static Statement BindOAuthProvider(Statement statement, OAuthProviderValues values, DateTimeOffset now) => statement
        .Text("name", values.Name)
        .Text("display_name", values.DisplayName)
        .Text("client_id", values.ClientId)
        .Text("authorization_endpoint", values.AuthorizationEndpoint.OriginalString)
        .Text("token_endpoint", values.TokenEndpoint.OriginalString)
        .Text("userinfo_endpoint", values.UserInfoEndpoint?.OriginalString)
        .Text("scopes", ScopeSet.Join(values.Scopes))
        .Boolean("is_enabled", values.IsEnabled)
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

    /// <summary>Streams every provider as stored, in id order (see <see cref="IDataStreams.StreamOAuthProvidersAsync"/>).</summary>
    public IAsyncEnumerable<OAuthProviderRow> StreamOAuthProvidersAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, OAuthSql.StreamProvidersFirst, OAuthSql.StreamProvidersAfter,
            static (in Row r) =>
            {
                var p = OAuthSql.ReadEncryptedOAuthProvider(in r);
                return new OAuthProviderRow(p.Id, p.Name, p.DisplayName, p.ClientId, p.ClientSecret, p.AuthorizationEndpoint, p.TokenEndpoint,
                    p.UserInfoEndpoint, p.Scopes, p.IsEnabled, p.CreatedAt, p.UpdatedAt, p.Version);
            },
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
