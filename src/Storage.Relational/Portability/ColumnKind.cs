namespace GatewayStorage.Relational;

/// <summary>The kind of a stored column, which decides how it is read, bound, bulk-loaded and digested.</summary>
internal enum ColumnKind
{
    Guid,
    Text,
    Int32,
    Int64,
    Boolean,
    Time,
    Json,
    Bytes,
}
