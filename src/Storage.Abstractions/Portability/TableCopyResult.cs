namespace GatewayStorage.Portability;

/// <summary>What the copy did with one table, and how it verified.</summary>
/// <param name="Table">The table.</param>
/// <param name="SourceRows">How many rows the source holds.</param>
/// <param name="WrittenRows">How many rows were written to the target (fewer than read when existing rows were skipped; 0 in a dry run).</param>
/// <param name="TargetRows">How many rows the target holds after the copy (<see langword="null"/> in a dry run).</param>
/// <param name="SourceDigest">The content digest of the source table (hex SHA-256 of its canonical rows in key order).</param>
/// <param name="TargetDigest">The content digest of the target table after the copy (<see langword="null"/> in a dry run).</param>
public sealed record TableCopyResult(string Table, long SourceRows, long WrittenRows, long? TargetRows, string SourceDigest, string? TargetDigest)
{
    /// <summary>Whether the target's rows equal the source's: same count, same digest.</summary>
    public bool Matches => TargetRows == SourceRows && string.Equals(TargetDigest, SourceDigest, StringComparison.Ordinal);
}
