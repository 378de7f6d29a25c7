namespace GatewayStorage.Relational;

// Declared by the contract; implemented with the issue "Secrets and the remaining domains".
internal sealed partial class RelationalDatabaseProvider
{
    /// <inheritdoc />
    public Task<CreatedLoginSession> CreateSessionAsync(NewLoginSession session, CancellationToken cancellationToken = default) => throw Pending(nameof(CreateSessionAsync));

    /// <inheritdoc />
    public Task<LoginSession?> GetSessionAsync(string token, CancellationToken cancellationToken = default) => throw Pending(nameof(GetSessionAsync));

    /// <inheritdoc />
    public Task<bool> TouchSessionAsync(Guid sessionId, DateTimeOffset? extendTo = null, CancellationToken cancellationToken = default) => throw Pending(nameof(TouchSessionAsync));

    /// <inheritdoc />
    public Task<bool> RevokeSessionAsync(Guid sessionId, CancellationToken cancellationToken = default) => throw Pending(nameof(RevokeSessionAsync));

    /// <inheritdoc />
    public Task<int> RevokeUserSessionsAsync(Guid userId, CancellationToken cancellationToken = default) => throw Pending(nameof(RevokeUserSessionsAsync));

    /// <inheritdoc />
    public Task<long> PruneExpiredSessionsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Pending(nameof(PruneExpiredSessionsAsync));

    /// <inheritdoc />
    public Task<IssuedSingleUseToken> IssueSingleUseTokenAsync(string purpose, Guid? userId, TimeSpan lifetime, CancellationToken cancellationToken = default) => throw Pending(nameof(IssueSingleUseTokenAsync));

    /// <inheritdoc />
    public Task<SingleUseToken?> TryConsumeSingleUseTokenAsync(string purpose, string value, CancellationToken cancellationToken = default) => throw Pending(nameof(TryConsumeSingleUseTokenAsync));
}
