namespace GatewayStorage;

/// <summary>A tag that groups credentials, for example the devices a set of credentials may be tried on.</summary>
/// <param name="Id">The tag's id.</param>
/// <param name="Name">The tag's name; unique, compared case-insensitively.</param>
/// <param name="Description">What the tag stands for, if stated.</param>
/// <param name="CreatedAt">When the tag was created.</param>
public sealed record CredentialTag(Guid Id, string Name, string? Description, DateTimeOffset CreatedAt);
