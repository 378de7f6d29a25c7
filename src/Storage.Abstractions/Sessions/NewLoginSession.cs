namespace GatewayStorage;

/// <summary>What is needed to start a session.</summary>
/// <param name="UserId">The user signing in.</param>
/// <param name="Lifetime">How long the session lasts, from one minute to one year.</param>
/// <param name="IpAddress">The client address, at most 64 characters.</param>
/// <param name="UserAgent">The client's user agent, at most 1,000 characters.</param>
public sealed record NewLoginSession(Guid UserId, TimeSpan Lifetime, string? IpAddress = null, string? UserAgent = null);
