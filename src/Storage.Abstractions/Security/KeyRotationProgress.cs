namespace GatewayStorage.Security;

/// <summary>How far a key rotation has come: reported when a table starts, after every batch, and when it ends.</summary>
/// <param name="Table">The table being rotated.</param>
/// <param name="TableIndex">The table's position in the rotation order, from 0.</param>
/// <param name="TableCount">How many tables hold encrypted values.</param>
/// <param name="Rows">How many values of <paramref name="Table"/> were re-encrypted so far.</param>
/// <param name="Completed">Whether <paramref name="Table"/> is done.</param>
public sealed record KeyRotationProgress(string Table, int TableIndex, int TableCount, long Rows, bool Completed);
