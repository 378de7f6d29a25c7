using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>
/// Writes every table of a database, as stored, from one snapshot, to a portable file (see <see cref="DatabaseExporter"/>),
/// then reads the file back and validates it as an import would, before moving it into place.
/// </summary>
internal static class PortableFileExport
{
    private const int ProgressInterval = 1_000;

    public static async Task<DatabaseCopyReport> RunAsync(
        StoreContext source, string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        await CopyPreconditions.CheckExportSchemaAsync(source, cancellationToken).ConfigureAwait(false);

        // Written under a temporary name beside the target: a failed export leaves no partial file under the real name.
        var partial = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            var manifest = await WriteAsync(source, partial, format, progress, cancellationToken).ConfigureAwait(false);
            var (verified, _) = await PortableFileScan.ValidateAsync(partial, format, manifest, progress: null, ProgressInterval, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
            var results = manifest.Tables.Select((t, i) => new TableCopyResult(t.Name, t.Rows, t.Rows, verified[i].SourceRows, t.Digest, verified[i].SourceDigest)).ToList();
            return new DatabaseCopyReport(results, DryRun: false, Committed: true, Warnings: []);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static async Task<PortableManifest> WriteAsync(
        StoreContext source, string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var tables = PortableTables.All;
        var listed = new List<PortableManifestTable>(tables.Count);
        var session = await source.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.BeginSnapshotAsync(cancellationToken).ConfigureAwait(false);
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var archive = await PortableArchiveWriter.CreateAsync(format, file, cancellationToken).ConfigureAwait(false);
                await using (archive.ConfigureAwait(false))
                {
                    for (var i = 0; i < tables.Count; i++)
                    {
                        var table = tables[i];
                        var index = i;
                        progress?.Report(new CopyProgress(table.Name, i, tables.Count, 0, Completed: false));
                        await archive.WriteEntryAsync(PortableFormat.EntryName(table), async stream =>
                        {
                            using var writer = new PortableRowWriter(stream, table);
                            await foreach (var row in RawRows.StreamAsync(session, table, cancellationToken).ConfigureAwait(false))
                            {
                                await writer.WriteAsync(row, cancellationToken).ConfigureAwait(false);
                                if (writer.Digest.Rows % ProgressInterval == 0)
                                {
                                    progress?.Report(new CopyProgress(table.Name, index, tables.Count, writer.Digest.Rows, Completed: false));
                                }
                            }

                            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                            listed.Add(new PortableManifestTable(table.Name, PortableFormat.EntryName(table), writer.Digest.Rows, writer.Digest.Finish(), [.. table.Columns.Select(c => c.Name)]));
                        }, cancellationToken).ConfigureAwait(false);
                        progress?.Report(new CopyProgress(table.Name, i, tables.Count, listed[i].Rows, Completed: true));
                    }

                    var manifest = new PortableManifest(PortableFormat.Version, source.Migrations.LatestVersion, source.Now(), source.Dialect.BackendName, listed);
                    await archive.WriteEntryAsync(PortableFormat.ManifestEntry, stream => manifest.WriteAsync(stream, cancellationToken), cancellationToken).ConfigureAwait(false);
                    return manifest;
                }
            }
        }
    }
}
