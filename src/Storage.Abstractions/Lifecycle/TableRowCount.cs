namespace GatewayStorage;

/// <summary>How many rows one table holds (see <see cref="IDatabaseLifecycle.CountRowsAsync"/>).</summary>
/// <param name="Table">The table, e.g. <c>users</c>.</param>
/// <param name="Rows">Its row count.</param>
public sealed record TableRowCount(string Table, long Rows);
