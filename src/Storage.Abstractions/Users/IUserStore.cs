namespace GatewayStorage;

/// <summary>Stores the gateway's users.</summary>
public interface IUserStore
{
    /// <summary>Creates a user with a new id.</summary>
    /// <param name="user">The user to create.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored user, with its id, times and version 1.</returns>
    /// <exception cref="ArgumentException">The email is missing, malformed or too long, or a field holds a NUL character.</exception>
    /// <exception cref="DuplicateKeyException">A user with the same email (compared case-insensitively) exists.</exception>
    Task<User> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the user, or updates the display name and active flag of the user with the same email.
    /// The existing user keeps its id and everything attached to it (role assignments, keys, tokens).
    /// </summary>
    /// <param name="user">The user to create or update.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored user.</returns>
    /// <exception cref="ArgumentException">The email is missing, malformed or too long.</exception>
    Task<User> UpsertUserAsync(NewUser user, CancellationToken cancellationToken = default);

    /// <summary>Gets a user by id.</summary>
    /// <param name="id">The user's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The user, or <see langword="null"/> when there is none.</returns>
    Task<User?> GetUserAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Gets a user by email, compared case-insensitively and Unicode-aware (<c>ÄLICE@exämple.org</c> finds <c>älice@exämple.org</c>).</summary>
    /// <param name="email">The email.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The user, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="ArgumentException">The email is missing or malformed.</exception>
    Task<User?> GetUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the email, display name and active flag of <paramref name="user"/>, provided its
    /// <see cref="User.Version"/> is still the stored one.
    /// </summary>
    /// <param name="user">The user as read, with the changes applied (<c>user with { DisplayName = "…" }</c>).</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored user with its new version.</returns>
    /// <exception cref="ConcurrencyConflictException">The user was changed or deleted since it was read.</exception>
    /// <exception cref="DuplicateKeyException">The new email belongs to another user.</exception>
    Task<User> UpdateUserAsync(User user, CancellationToken cancellationToken = default);

    /// <summary>Deletes a user together with its role assignments.</summary>
    /// <param name="id">The user's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a user was deleted; <see langword="false"/> when there was none.</returns>
    Task<bool> DeleteUserAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists users in creation order, one keyset page at a time.</summary>
    /// <param name="query">Filters; <see cref="UserQuery.All"/> for every user.</param>
    /// <param name="page">Which page; <see cref="PageRequest.First"/> for the first.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of users.</returns>
    /// <exception cref="ArgumentException">The cursor is not one this list returned.</exception>
    Task<Page<User>> ListUsersAsync(UserQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Counts the users that match a query.</summary>
    /// <param name="query">Filters; <see cref="UserQuery.All"/> for every user.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The number of matching users.</returns>
    Task<long> CountUsersAsync(UserQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records that the user signed in now. Does not change the user's version.</summary>
    /// <param name="id">The user's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the user exists; <see langword="false"/> otherwise.</returns>
    Task<bool> RecordLoginAsync(Guid id, CancellationToken cancellationToken = default);
}
