namespace GatewayStorage.Portability;

/// <summary>The outcome of <see cref="DatabaseCopier.CopyAsync"/>.</summary>
/// <param name="Tables">Each table, in copy (dependency) order.</param>
/// <param name="DryRun">Whether this was a dry run, which wrote nothing.</param>
/// <param name="Committed">
/// Whether the copy was committed to the target. The whole copy is one transaction on the target: when this is
/// <see langword="false"/>, the target is exactly as it was before the copy.
/// </param>
/// <param name="Warnings">
/// What the target will not be able to do with the copied data as it is configured now: no encryption key that
/// the source's secrets were written under (they would not decrypt), or another API-key hashing key (the copied API
/// keys would not verify); each says how to fix it. Key ids only, never a key.
/// </param>
public sealed record DatabaseCopyReport(IReadOnlyList<TableCopyResult> Tables, bool DryRun, bool Committed, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether every table of the target verified equal to the source (always <see langword="false"/> for a dry run).</summary>
    public bool Verified => !DryRun && Tables.All(t => t.Matches);

    /// <summary>The tables whose count or digest differ between source and target.</summary>
    public IEnumerable<TableCopyResult> Differences => DryRun ? [] : Tables.Where(t => !t.Matches);
}
