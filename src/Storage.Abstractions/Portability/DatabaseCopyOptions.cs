namespace GatewayStorage.Portability;

/// <summary>How <see cref="DatabaseCopier.CopyAsync"/> copies.</summary>
public sealed class DatabaseCopyOptions
{
    /// <summary>
    /// Whether a target that already holds rows is accepted, rows whose key (or unique value) already exists there
    /// being skipped (<c>ON CONFLICT DO NOTHING</c>). Defaults to <see langword="false"/>: a non-empty target is refused.
    /// </summary>
    public bool SkipExisting { get; set; }

    /// <summary>
    /// Whether only to read the source and report what would be copied (row counts and digests per table), writing
    /// nothing to the target. Defaults to <see langword="false"/>.
    /// </summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// How many rows are copied between two progress reports of a table. Defaults to 1,000.
    /// </summary>
    public int ProgressInterval { get; set; } = 1_000;

    /// <summary>The options of a copy or an import: the defaults for <see langword="null"/>, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ProgressInterval"/> is below 1.</exception>
    internal static DatabaseCopyOptions Checked(DatabaseCopyOptions? options)
    {
        options ??= new DatabaseCopyOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ProgressInterval, 1, nameof(options));
        return options;
    }
}
