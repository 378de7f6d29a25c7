namespace GatewayStorage;

/// <summary>Filters for listing and counting users. Every filter left <see langword="null"/> matches all users.</summary>
/// <param name="Search">Text that the email must contain, compared case-insensitively.</param>
/// <param name="IsActive">Only active (<see langword="true"/>) or only inactive (<see langword="false"/>) users.</param>
public sealed record UserQuery(string? Search = null, bool? IsActive = null)
{
    /// <summary>The query that matches every user.</summary>
    public static UserQuery All { get; } = new();
}
