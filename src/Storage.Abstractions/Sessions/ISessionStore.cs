namespace GatewayStorage;

/// <summary>Stores login sessions and single-use tokens. Only hashes of session tokens and single-use tokens are stored.</summary>
public interface ISessionStore
{
    /// <summary>Starts a session with a new random token.</summary>
    /// <param name="session">The session to start.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored session and its token (returned this once).</returns>
    /// <exception cref="EntityNotFoundException">The user does not exist.</exception>
    Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default);

    /// <summary>Gets the live session a token belongs to.</summary>
    /// <param name="token">The session token the client presented.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The session, or <see langword="null"/> when the token is unknown, malformed, expired or revoked.</returns>
    Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>Marks a live session as seen now and, when given, extends its expiry.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="extendTo">The new expiry, or <see langword="null"/> to keep the current one.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a live session was touched.</returns>
    Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default);

    /// <summary>Revokes a session.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a live session was revoked.</returns>
    Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every live session of a user (sign out everywhere).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>How many sessions were revoked.</returns>
    Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists a user's sessions newest first (by creation), one keyset page at a time. A session started or ended
    /// between two pages never makes another one appear twice or go missing.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="activeOnly">
    /// <see langword="true"/> for the live sessions only (neither revoked nor expired now); <see langword="false"/> for
    /// every stored session of the user, revoked and expired ones included (until they are pruned).
    /// </param>
    /// <param name="page">Which page; <see cref="PageRequest.First"/> for the first.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of sessions; an empty page for an unknown user. Never the session tokens.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="page"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The cursor is not one this list (this user, this <paramref name="activeOnly"/>) returned.</exception>
    Task<Page<LoginSession>> ListUserSessionsAsync(Guid userId, bool activeOnly, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes, in bounded batches, sessions and single-use tokens that expired before a time.</summary>
    /// <param name="before">The cut-off time.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>How many rows were deleted.</returns>
    Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Issues a single-use token.</summary>
    /// <param name="purpose">What the token is for, 1 to 100 characters, for example <c>password-reset</c>.</param>
    /// <param name="userId">The user the token acts for, if any.</param>
    /// <param name="lifetime">How long the token stays usable, from one second to 30 days.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored token and its value (returned this once).</returns>
    Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>
    /// Consumes a single-use token atomically: of every caller presenting the same token, concurrent or later,
    /// exactly one succeeds.
    /// </summary>
    /// <param name="purpose">The purpose the token was issued for.</param>
    /// <param name="value">The token value presented.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The consumed token for the one caller that succeeded; <see langword="null"/> for every other caller and for unknown, expired or malformed tokens.</returns>
    Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default);
}
