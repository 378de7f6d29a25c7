namespace GatewayStorage.Relational;

/// <summary>One stored column of a portable table.</summary>
/// <param name="Name">The column name, one of the schema's own identifiers.</param>
/// <param name="Kind">How its values are read and written.</param>
/// <param name="Nullable">Whether it may hold null.</param>
internal sealed record PortableColumn(string Name, ColumnKind Kind, bool Nullable = false);
