namespace GatewayStorage.Relational;

/// <summary>The statements of the directory-mapping store; standard SQL that runs unchanged on both engines.</summary>
internal static class DirectoryMappingSql
{
    public const string Columns = "id, group_name, role_id, description, created_at, updated_at";

    public const string Upsert =
        "INSERT INTO directory_mappings (id, group_name, normalized_group, role_id, description, created_at, updated_at) " +
        "VALUES (@id, @group_name, @normalized_group, @role_id, @description, @now, @now) " +
        "ON CONFLICT (normalized_group, role_id) DO UPDATE SET group_name = excluded.group_name, description = excluded.description, " +
        "updated_at = excluded.updated_at RETURNING " + Columns;

    public const string Delete = "DELETE FROM directory_mappings WHERE id = @id";

    public const string ListFirst = "SELECT " + Columns + " FROM directory_mappings ORDER BY id LIMIT @limit";

    public const string ListAfter = "SELECT " + Columns + " FROM directory_mappings WHERE id > @after ORDER BY id LIMIT @limit";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static DirectoryGroupMapping ReadDirectoryMapping(in Row r) =>
        new(r.Guid(0), r.Text(1), r.Guid(2), r.NullableText(3), r.Time(4), r.Time(5));
}
