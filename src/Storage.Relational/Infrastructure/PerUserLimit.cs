namespace GatewayStorage.Relational;

/// <summary>
/// The one way a bounded per-user list (API keys, roles, OAuth tokens) is enforced: inside the write transaction,
/// lock the user's row, write, then count. The lock makes concurrent writers for the same user take turns (PostgreSQL
/// queues them on the row; SQLite's writer lock already does), so the count never misses another writer's row.
/// </summary>
internal static class PerUserLimit
{
    /// <summary>Locks the user's row until the transaction ends.</summary>
    /// <exception cref="EntityNotFoundException">The user does not exist.</exception>
    public static async Task LockUserAsync(DbSession session, Guid userId, CancellationToken cancellationToken)
    {
        var locked = await session.Sql(UserSql.LockRow).Guid("user_id", userId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (locked == 0)
        {
            throw new EntityNotFoundException(nameof(User), userId.ToString());
        }
    }

    /// <summary>After the write: fails when the user now holds more than <paramref name="limit"/> rows.</summary>
    /// <param name="session">The session, in the transaction that locked the user.</param>
    /// <param name="userId">The user.</param>
    /// <param name="countSql">Counts the user's rows (<c>@user_id</c>).</param>
    /// <param name="limit">The most rows the user may hold.</param>
    /// <param name="entity">The kind of row, for the message.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <exception cref="LimitExceededException">The user holds more than <paramref name="limit"/> rows; the caller's transaction is rolled back.</exception>
    public static async Task EnsureWithinAsync(DbSession session, Guid userId, string countSql, int limit, string entity, CancellationToken cancellationToken)
    {
        var count = await session.Sql(countSql).Guid("user_id", userId)
            .ScalarAsync(static (in Row r) => r.Int64(0), cancellationToken).ConfigureAwait(false);
        if (count > limit)
        {
            throw new LimitExceededException(entity, $"{nameof(User)} {userId}", limit);
        }
    }
}
