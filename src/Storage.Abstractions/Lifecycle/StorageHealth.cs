namespace GatewayStorage;

/// <summary>The result of a storage health check.</summary>
/// <param name="IsHealthy">Whether the database answered.</param>
/// <param name="Backend">The backend's name, for example <c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Latency">How long the round trip took.</param>
/// <param name="EngineVersion">The engine's version, for example <c>3.50.4</c> or <c>15.18</c>, when it answered.</param>
/// <param name="SchemaVersion">The schema version the database is at, when it answered.</param>
/// <param name="Error">Why the check failed, without secrets; <see langword="null"/> when healthy.</param>
/// <param name="PendingMigrations">
/// How many of this library's migration scripts the database has yet to apply, when it answered. While any is pending
/// and auto-migrate is off, operations are refused with <see cref="SchemaVersionException"/>.
/// </param>
public sealed record StorageHealth(
    bool IsHealthy,
    string Backend,
    TimeSpan Latency,
    string? EngineVersion,
    int? SchemaVersion,
    string? Error,
    int? PendingMigrations = null);
