namespace GatewayStorage.Security;

/// <summary>What a key rotation did with one table.</summary>
/// <param name="Table">The table, e.g. <c>oauth_tokens</c>.</param>
/// <param name="Rotated">How many encrypted values were re-encrypted under the newest key.</param>
/// <param name="Changed">
/// How many values a concurrent write replaced between the rotation's read and its write: they were left as that write
/// stored them (a write through this library is already under the newest key of its ring); run the rotation again to
/// pick up any that are not.
/// </param>
public sealed record KeyRotationTableResult(string Table, long Rotated, long Changed);
