namespace GatewayStorage;

/// <summary>A single-use token's stored description (password reset, OAuth state). Only a hash of the token is stored.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="Purpose">What the token is for, for example <c>password-reset</c>.</param>
/// <param name="UserId">The user the token acts for, if any.</param>
/// <param name="CreatedAt">When the token was issued.</param>
/// <param name="ExpiresAt">When the token stops working.</param>
/// <param name="ConsumedAt">When the token was used, if it was.</param>
public sealed record SingleUseToken(
    Guid Id,
    string Purpose,
    Guid? UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ConsumedAt);
