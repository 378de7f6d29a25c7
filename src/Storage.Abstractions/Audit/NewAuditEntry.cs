using System.Text.Json;

namespace GatewayStorage;

/// <summary>An entry to append to the audit log.</summary>
/// <param name="Action">What was done, 1 to 100 characters, for example <c>user.create</c>.</param>
/// <param name="Actor">Who acted, at most 200 characters.</param>
/// <param name="TargetType">The kind of thing acted on, at most 100 characters.</param>
/// <param name="TargetId">The identity of the thing acted on, at most 200 characters.</param>
/// <param name="Succeeded">Whether the action succeeded. Defaults to <see langword="true"/>.</param>
/// <param name="IpAddress">The client address, at most 64 characters.</param>
/// <param name="Details">Further details as a JSON document (at most 64 KiB in the library's canonical form, under the config value rules). Never put secrets here.</param>
public sealed record NewAuditEntry(
    string Action,
    string? Actor = null,
    string? TargetType = null,
    string? TargetId = null,
    bool Succeeded = true,
    string? IpAddress = null,
    JsonElement? Details = null);
