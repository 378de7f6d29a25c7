namespace GatewayStorage.Relational;

/// <summary>What the spans and metrics of one provider say about its database: the engine and, for a server, where it is.</summary>
/// <param name="SystemName">The OpenTelemetry <c>db.system.name</c>: <c>sqlite</c> or <c>postgresql</c>.</param>
/// <param name="ServerAddress">The server's host name or address (the first one of a multi-host connection string), or <see langword="null"/>.</param>
/// <param name="ServerPort">The server's port, or <see langword="null"/>.</param>
internal sealed record TelemetryTarget(string SystemName, string? ServerAddress = null, int? ServerPort = null);
