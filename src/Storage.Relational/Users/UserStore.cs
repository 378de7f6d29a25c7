using System.Runtime.CompilerServices;
namespace GatewayStorage.Relational;

internal sealed class UserStore(StoreContext context) : IUserStore
{
    private const string Table = "users";

    private const string UsersList = "users";

    /// <inheritdoc />
    public Task<User> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        InsertUserAsync(UserSql.Insert, user, cancellationToken);

    /// <inheritdoc />
    public Task<User> UpsertUserAsync(NewUser user, CancellationToken cancellationToken = default) =>
        InsertUserAsync(UserSql.Upsert, user, cancellationToken);

    private async Task<User> InsertUserAsync(string sql, NewUser user, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var (email, normalizedEmail, displayName) = ValidateUser(user);
        var now = context.Now();
        var session = await context.WriteAsync(Table, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return (await session.Sql(sql)
                .Guid("id", context.NewId(now))
                .Text("email", email)
                .Text("normalized_email", normalizedEmail)
                .Text("display_name", displayName)
                .Boolean("is_active", user.IsActive)
                .Time("now", now)
                .QuerySingleOrDefaultAsync(UserSql.Read, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <inheritdoc />
    public async Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(UserSql.GetById).Guid("id", id)
                .QuerySingleOrDefaultAsync(UserSql.Read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<User?> GetUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalizedEmail = Check.Normalize(EmailAddress.Validate(email, nameof(email)));
        var session = await context.ReadAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(UserSql.GetByEmail).Text("normalized_email", normalizedEmail)
                .QuerySingleOrDefaultAsync(UserSql.Read, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (email, normalizedEmail, displayName) = ValidateUser(new NewUser(user.Email, user.DisplayName, user.IsActive));
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(UserSql.Update)
                .Guid("id", user.Id)
                .Int64("version", user.Version)
                .Text("email", email)
                .Text("normalized_email", normalizedEmail)
                .Text("display_name", displayName)
                .Boolean("is_active", user.IsActive)
                .Time("now", context.Now())
                .QuerySingleOrDefaultAsync(UserSql.Read, cancellationToken).ConfigureAwait(false)
                ?? throw new ConcurrencyConflictException(nameof(User), user.Id.ToString(), user.Version);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteUserAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // Role assignments go with the user through ON DELETE CASCADE, in the same statement.
            return await session.Sql(UserSql.Delete).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<Page<User>> ListUsersAsync(UserQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        var pattern = SearchPattern(query.Search);
        var after = KeysetCursor.DecodeGuid(UsersList, page.Cursor);
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? UserSql.ListFirst : UserSql.ListAfter)
                .Text("pattern", pattern)
                .Boolean("is_active", query.IsActive)
                .Int32("limit", page.Limit + 1);
            if (after is { } afterId)
            {
                statement.Guid("after", afterId);
            }

            var rows = await statement.QueryAsync(UserSql.Read, cancellationToken).ConfigureAwait(false);
            return KeysetCursor.ToPage(rows, page, UsersList, static u => u.Id.ToString());
        }
    }

    /// <inheritdoc />
    public async Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pattern = SearchPattern(query.Search);
        var session = await context.ReadLagTolerantAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(UserSql.Count)
                .Text("pattern", pattern)
                .Boolean("is_active", query.IsActive)
                .ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> RecordLoginAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(Table, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(UserSql.RecordLogin).Guid("id", id).Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private static (string Email, string NormalizedEmail, string? DisplayName) ValidateUser(NewUser? user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var email = EmailAddress.Validate(user.Email, nameof(NewUser.Email));
        var displayName = Check.OptionalText(user.DisplayName, nameof(NewUser.DisplayName), 200);
        return (email, Check.Normalize(email), displayName);
    }

    /// <summary>A LIKE pattern matching normalised emails that contain <paramref name="search"/>.</summary>
    private static string? SearchPattern(string? search)
    {
        if (search is null)
        {
            return null;
        }

        Check.Text(search, nameof(UserQuery.Search), EmailAddress.MaxLength);
        var escaped = Check.Normalize(search).Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
        return "%" + escaped + "%";
    }

    /// <summary>Streams every user in id order (see <see cref="IDataStreams.StreamUsersAsync"/>).</summary>
    public IAsyncEnumerable<User> StreamUsersAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, Table, UserSql.StreamFirst, UserSql.StreamAfter, UserSql.Read,
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);
}
