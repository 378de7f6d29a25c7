using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>
/// Loads a portable file into a database (see <see cref="DatabaseImporter"/>): the manifest and the preconditions first,
/// then one pass that validates every row and writes nothing, then one pass that writes every row through the copy's
/// <see cref="TargetLoad"/> (the same bulk loaders, one transaction, verified before the commit).
/// </summary>
internal static class PortableFileImport
{
    public static async Task<DatabaseCopyReport> RunAsync(
        StoreContext target, string path, PortableArchiveFormat format, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var manifest = await PortableFileScan.ReadManifestAsync(path, format, cancellationToken).ConfigureAwait(false);
        await CopyPreconditions.CheckImportSchemaAsync(manifest.SchemaVersion, target, cancellationToken).ConfigureAwait(false);
        manifest.CheckTables();

        var (tables, keyChecks) = await PortableFileScan
            .ValidateAsync(path, format, manifest, options.DryRun ? progress : null, options.ProgressInterval, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            await CopyPreconditions.CheckTargetReadOnlyAsync(target, keyChecks, options.SkipExisting, cancellationToken).ConfigureAwait(false);
            return new DatabaseCopyReport(tables, DryRun: true, Committed: false, CopyPreconditions.KeyWarnings(target, keyChecks));
        }

        var reader = await PortableArchiveReader.OpenAsync(path, format, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await TargetLoad.RunAsync(
                target, keyChecks, options, (table, token) => PortableFileScan.RowsAsync(reader, manifest, table, token), progress, cancellationToken).ConfigureAwait(false);
        }
    }
}
