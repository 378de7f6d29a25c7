namespace GatewayStorage;

/// <summary>A migration script recorded as applied in the <c>schema_migrations</c> table.</summary>
/// <param name="Version">The script's version number, the same on every backend.</param>
/// <param name="Name">The script's name, for example <c>initial</c>.</param>
/// <param name="Checksum">The SHA-256 of the script text (hex).</param>
/// <param name="AppliedAt">When it was applied.</param>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);
