namespace GatewayStorage.Tests.Conformance.DirectoryMappings;

public sealed class SqliteDirectoryMappingStoreTests(SqliteFixture fixture) : DirectoryMappingStoreConformance<SqliteFixture>(fixture);

public sealed class PostgresDirectoryMappingStoreTests(PostgresFixture fixture) : DirectoryMappingStoreConformance<PostgresFixture>(fixture);

public sealed class PgBouncerDirectoryMappingStoreTests(PgBouncerFixture fixture) : DirectoryMappingStoreConformance<PgBouncerFixture>(fixture);
