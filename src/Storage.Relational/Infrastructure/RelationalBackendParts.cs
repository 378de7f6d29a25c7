using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>What a backend hands the relational layer to build a provider from.</summary>
/// <param name="Dialect">The engine's type mapping, error classification and migration lock.</param>
/// <param name="DataSource">Where connections come from.</param>
/// <param name="OwnsDataSource">Whether the provider disposes <paramref name="DataSource"/> (not when the host registered it).</param>
/// <param name="Migrations">The engine's numbered migration scripts.</param>
/// <param name="WriterLock">
/// A lock that every writing session of the database takes first (asynchronously), or <see langword="null"/>.
/// SQLite has one writer at a time: writers that queue here wait without blocking a thread, where SQLite's own busy
/// handler would sleep on one.
/// </param>
/// <param name="StandbyDataSource">
/// Where <see cref="SessionKind.LagTolerantRead"/> sessions get their connections (PostgreSQL: the same multi-host data
/// source, preferring standbys), or <see langword="null"/> to use <paramref name="DataSource"/>. Owned by
/// <paramref name="DataSource"/>: never disposed on its own.
/// </param>
internal sealed record RelationalBackendParts(
    SqlDialect Dialect,
    DbDataSource DataSource,
    bool OwnsDataSource,
    IReadOnlyList<MigrationScript> Migrations,
    SemaphoreSlim? WriterLock,
    DbDataSource? StandbyDataSource = null);
