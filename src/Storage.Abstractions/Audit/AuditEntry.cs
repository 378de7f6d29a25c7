using System.Text.Json;

namespace GatewayStorage;

/// <summary>One entry of the audit log.</summary>
/// <param name="Id">The entry's id (time-ordered).</param>
/// <param name="OccurredAt">When the action happened.</param>
/// <param name="Actor">Who acted (a user id, an email, a service name), if known.</param>
/// <param name="Action">What was done, for example <c>user.create</c>.</param>
/// <param name="TargetType">The kind of thing acted on, for example <c>user</c>.</param>
/// <param name="TargetId">The identity of the thing acted on.</param>
/// <param name="Succeeded">Whether the action succeeded.</param>
/// <param name="IpAddress">The client address, if known.</param>
/// <param name="Details">Further details as a JSON document, if any.</param>
public sealed record AuditEntry(
    Guid Id,
    DateTimeOffset OccurredAt,
    string? Actor,
    string Action,
    string? TargetType,
    string? TargetId,
    bool Succeeded,
    string? IpAddress,
    JsonElement? Details);
