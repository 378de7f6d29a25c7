namespace GatewayStorage.Relational;

/// <summary>The statements of the credential store; standard SQL that runs unchanged on both engines.</summary>
internal static class CredentialSql
{
    /// <summary>Credential columns 0–9; the secret (column 2) is the stored ciphertext.</summary>
    public const string Columns =
        "id, username, secret, description, success_count, failure_count, last_used_at, created_at, updated_at, version";

    private const string PrefixedColumns =
        "c.id, c.username, c.secret, c.description, c.success_count, c.failure_count, c.last_used_at, c.created_at, c.updated_at, c.version";

    public const string Insert =
        "INSERT INTO credentials (id, username, secret, description, success_count, failure_count, created_at, updated_at, version) " +
        "VALUES (@id, @username, @secret, @description, 0, 0, @now, @now, 1)";

    public const string GetById = "SELECT " + Columns + " FROM credentials WHERE id = @id";

    // The counters and last-used time are left alone: RecordUse changes them without a version.
    public const string Update =
        "UPDATE credentials SET username = @username, secret = @secret, description = @description, updated_at = @now, " +
        "version = version + 1 WHERE id = @id AND version = @version RETURNING " + Columns;

    public const string Delete = "DELETE FROM credentials WHERE id = @id";

    public const string ListFirst = "SELECT " + Columns + " FROM credentials ORDER BY id LIMIT @limit";

    public const string ListAfter = "SELECT " + Columns + " FROM credentials WHERE id > @after ORDER BY id LIMIT @limit";

    // One statement, the increment computed by the engine: concurrent uses never lose a count.
    public const string RecordUse =
        "UPDATE credentials SET success_count = success_count + @success, failure_count = failure_count + @failure, " +
        "last_used_at = @now WHERE id = @id";

    public const string InsertTag =
        "INSERT INTO credential_tags (id, name, normalized_name, description, created_at) " +
        "VALUES (@id, @name, @normalized_name, @description, @now)";

    public const string ListTags = "SELECT id, name, description, created_at FROM credential_tags ORDER BY normalized_name";

    public const string DeleteTag = "DELETE FROM credential_tags WHERE id = @id";

    public const string Tag =
        "INSERT INTO credential_tag_links (credential_id, tag_id, priority) VALUES (@credential_id, @tag_id, @priority) " +
        "ON CONFLICT (credential_id, tag_id) DO UPDATE SET priority = excluded.priority";

    public const string Untag = "DELETE FROM credential_tag_links WHERE credential_id = @credential_id AND tag_id = @tag_id";

    /// <summary>Credential columns 0–9 and the link's priority (column 10).</summary>
    private const string ForTag =
        "SELECT " + PrefixedColumns + ", l.priority FROM credential_tag_links l JOIN credentials c ON c.id = l.credential_id " +
        "WHERE l.tag_id = @tag_id";

    public const string ForTagFirst = ForTag + " ORDER BY l.priority DESC, c.id LIMIT @limit";

    // Keyset over (priority descending, id ascending): lower priorities, or the same priority with a later id.
    public const string ForTagAfter =
        ForTag + " AND (l.priority < @after_priority OR (l.priority = @after_priority AND c.id > @after_id)) ORDER BY l.priority DESC, c.id LIMIT @limit";

    private const string TagColumns = "SELECT id, name, description, created_at FROM credential_tags";

    public const string StreamTagsFirst = TagColumns + " ORDER BY id LIMIT @limit";

    public const string StreamTagsAfter = TagColumns + " WHERE id > @after ORDER BY id LIMIT @limit";

    private const string LinkColumns = "SELECT credential_id, tag_id, priority FROM credential_tag_links";

    public const string StreamLinksFirst = LinkColumns + " ORDER BY credential_id, tag_id LIMIT @limit";

    public const string StreamLinksAfter =
        LinkColumns + " WHERE credential_id > @after_credential OR (credential_id = @after_credential AND tag_id > @after_tag) " +
        "ORDER BY credential_id, tag_id LIMIT @limit";

    /// <summary>Reads a credential as stored: <see cref="Credential.Secret"/> still holds the ciphertext.</summary>
    public static Credential ReadCredentialRow(in Row r) => new(
        r.Guid(0), r.Text(1), r.Text(2), r.NullableText(3), r.Int64(4), r.Int64(5), r.NullableTime(6), r.Time(7), r.Time(8), r.Int64(9));
}
