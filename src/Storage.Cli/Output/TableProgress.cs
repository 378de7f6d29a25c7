namespace GatewayStorage.Cli.Output;

/// <summary>One progress report of a table-by-table operation (copy, key rotation), whatever the library type behind it.</summary>
/// <param name="Table">The table.</param>
/// <param name="Rows">Rows done so far in that table.</param>
/// <param name="Completed">Whether the table is done.</param>
internal readonly record struct TableProgress(string Table, long Rows, bool Completed);
