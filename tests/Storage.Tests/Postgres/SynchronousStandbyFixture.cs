namespace GatewayStorage.Tests.Postgres;

/// <summary>A primary and a synchronous standby; the class's provider writes to whichever is the primary.</summary>
public sealed class SynchronousStandbyFixture() : ReplicatedPostgresFixture(synchronous: true, "target_session_attrs=read-write");
