namespace GatewayStorage;

/// <summary>What is needed to create an API key.</summary>
/// <param name="UserId">The user the key acts for.</param>
/// <param name="Name">A name for the key, 1 to 100 characters.</param>
/// <param name="ExpiresAt">When the key stops working; <see langword="null"/> for never.</param>
/// <param name="Scopes">The scopes the key grants.</param>
public sealed record NewApiKey(Guid UserId, string Name, DateTimeOffset? ExpiresAt = null, IEnumerable<string>? Scopes = null);
