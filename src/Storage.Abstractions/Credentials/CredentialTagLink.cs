namespace GatewayStorage;

/// <summary>A credential tagged with a tag, as stored.</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="TagId">The tag's id.</param>
/// <param name="Priority">The credential's priority within the tag; higher comes first.</param>
public sealed record CredentialTagLink(Guid CredentialId, Guid TagId, int Priority);
