namespace GatewayStorage;

/// <summary>A credential as it stands under a tag: with the priority it has there.</summary>
/// <param name="Credential">The credential.</param>
/// <param name="Priority">The priority under the tag; higher is tried first.</param>
public sealed record TaggedCredential(Credential Credential, int Priority);
