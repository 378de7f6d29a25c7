namespace GatewayStorage.Portability;

/// <summary>How far a copy has come: reported when a table starts, every few rows, and when it ends.</summary>
/// <param name="Table">The table being copied.</param>
/// <param name="TableIndex">The table's position in the copy order, from 0.</param>
/// <param name="TableCount">How many tables the copy covers.</param>
/// <param name="Rows">How many rows of <paramref name="Table"/> were read from the source so far.</param>
/// <param name="Completed">Whether <paramref name="Table"/> is done.</param>
public sealed record CopyProgress(string Table, int TableIndex, int TableCount, long Rows, bool Completed);
