namespace GatewayStorage.Tests.Postgres;

/// <summary>A primary and an asynchronous standby; the class's provider reads what tolerates lag from the standby.</summary>
public sealed class StandbyReadsFixture() : ReplicatedPostgresFixture(synchronous: false, "target_session_attrs=read-write&read_from=standby");
