namespace GatewayStorage.Relational;

/// <summary>The statements of the audit log; standard SQL that runs unchanged on both engines.</summary>
internal static class AuditSql
{
    public const string Columns = "id, occurred_at, actor, action, target_type, target_id, succeeded, ip_address, details";

    public const string Insert =
        "INSERT INTO audit_log (id, occurred_at, actor, action, target_type, target_id, succeeded, ip_address, details) " +
        "VALUES (@id, @now, @actor, @action, @target_type, @target_id, @succeeded, @ip_address, @details) RETURNING " + Columns;

    public const string PurgeBatch =
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE occurred_at < @before LIMIT @limit)";

    private const string Select = "SELECT " + Columns + " FROM audit_log";

    private const string OrderAndLimit = " ORDER BY id DESC LIMIT @limit";

    // One condition per filter bit, in bit order. Only the filters a query uses appear in its statement, so
    // each filter is a plain equality the planner can serve from ix_audit_log_actor / _action / _target (which end
    // in id, the sort key); "(@actor IS NULL OR actor = @actor)" would defeat those indexes on both engines.
    private static readonly string[] Conditions =
    [
        "actor = @actor",
        "action = @action",
        "target_type = @target_type",
        "target_id = @target_id",
        "occurred_at >= @from",
        "occurred_at < @to",
        "id < @before",
    ];

    private static readonly string?[] Queries = new string?[1 << Conditions.Length];

    /// <summary>The page query for a set of filters, composed from the constant conditions above and cached.</summary>
    public static string Query(Filter filters)
    {
        var index = (int)filters;
        return Queries[index] ??= Compose(filters);
    }

    private static string Compose(Filter filters)
    {
        var used = new List<string>(Conditions.Length);
        for (var bit = 0; bit < Conditions.Length; bit++)
        {
            if (((int)filters & (1 << bit)) != 0)
            {
                used.Add(Conditions[bit]);
            }
        }

        return used.Count == 0
            ? Select + OrderAndLimit
            : Select + " WHERE " + string.Join(" AND ", used) + OrderAndLimit;
    }

    /// <summary>The filters an audit query uses; each selects one condition of <see cref="Query"/>.</summary>
    [Flags]
    public enum Filter
    {
        None = 0,
        Actor = 1 << 0,
        Action = 1 << 1,
        TargetType = 1 << 2,
        TargetId = 1 << 3,
        From = 1 << 4,
        To = 1 << 5,
        Before = 1 << 6,
    }

    public const string StreamFirst = "SELECT " + Columns + " FROM audit_log ORDER BY id LIMIT @limit";

    public const string StreamAfter = "SELECT " + Columns + " FROM audit_log WHERE id > @after ORDER BY id LIMIT @limit";

    /// <summary>Reads a row of <see cref="Columns"/>, in that order.</summary>
    public static AuditEntry ReadAuditEntry(in Row r) => new(
        r.Guid(0),
        r.Time(1),
        r.NullableText(2),
        r.Text(3),
        r.NullableText(4),
        r.NullableText(5),
        r.Boolean(6),
        r.NullableText(7),
        r.IsNull(8) ? null : JsonText.Parse(r.Json(8)));
}
