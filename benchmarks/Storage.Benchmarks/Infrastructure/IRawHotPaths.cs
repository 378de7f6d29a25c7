namespace GatewayStorage.Benchmarks.Floor;

/// <summary>
/// The floor: the hot paths written by hand on one held connection with prepared commands, returning the
/// library's records. The same SQL and the same checks as the library (and as <c>EfCoreHotPaths</c>).
/// Not thread-safe: one instance per concurrent caller.
/// </summary>
internal interface IRawHotPaths : IAsyncDisposable
{
    Task<ApiKey?> VerifyApiKeyAsync(string presentedKey);

    Task<User?> GetUserByIdAsync(Guid id);

    Task<User?> GetUserByEmailAsync(string email);

    Task<ConfigEntry?> GetConfigAsync(string key);

    Task<long> IncrementUsageAsync(Guid apiKeyId, TimeSpan window);

    Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId);

    Task<User> CreateUserAsync(string email, string? displayName);

    Task<List<User>> ListUsersAsync(Guid? after, int limit);
}
