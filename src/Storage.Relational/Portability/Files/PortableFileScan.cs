using System.Runtime.CompilerServices;
using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>
/// Reads a portable file: its manifest, then its table streams in manifest order. The archive must hold exactly the
/// manifest's table entries in the manifest's (dependency) order and the manifest last, so that each pass over it is
/// one sequential read, even of a <c>.tar.gz</c>.
/// </summary>
internal static class PortableFileScan
{
    /// <summary>Finds and reads the manifest.</summary>
    /// <exception cref="PortableFileException">The file has no valid manifest, or one of a newer format version.</exception>
    public static async Task<PortableManifest> ReadManifestAsync(string path, PortableArchiveFormat format, CancellationToken cancellationToken)
    {
        var reader = await PortableArchiveReader.OpenAsync(path, format, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.Name != PortableFormat.ManifestEntry)
                {
                    continue;
                }

                if (entry.Length > PortableFormat.MaxManifestBytes)
                {
                    throw new PortableFileException($"The file's {PortableFormat.ManifestEntry} is larger than any manifest this library writes: it is not a GatewayStorage export.");
                }

                return await PortableManifest.ReadAsync(entry.Data, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new PortableFileException(
            $"The file has no {PortableFormat.ManifestEntry}, which a GatewayStorage export writes last: it is truncated, or not a GatewayStorage export.");
    }

    /// <summary>
    /// Reads every table stream once and validates every row against the manifest, writing nothing. Returns, per table,
    /// the rows and digest read (as a dry run reports them), and the key check values the file carries.
    /// </summary>
    /// <exception cref="PortableFileException">A stream is missing, out of order, or does not match: names the table and line.</exception>
    public static async Task<(List<TableCopyResult> Tables, List<(string KeyId, string Purpose, byte[] Check)> KeyChecks)> ValidateAsync(
        string path, PortableArchiveFormat format, PortableManifest manifest, IProgress<CopyProgress>? progress, int progressInterval, CancellationToken cancellationToken)
    {
        var tables = PortableTables.All;
        var results = new List<TableCopyResult>(tables.Count);
        var keyChecks = new List<(string KeyId, string Purpose, byte[] Check)>();
        var reader = await PortableArchiveReader.OpenAsync(path, format, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            for (var i = 0; i < tables.Count; i++)
            {
                var table = tables[i];
                progress?.Report(new CopyProgress(table.Name, i, tables.Count, 0, Completed: false));
                var rows = 0L;
                await foreach (var row in RowsAsync(reader, manifest, table, cancellationToken).ConfigureAwait(false))
                {
                    if (table.Name == PortableTables.KeyChecks)
                    {
                        keyChecks.Add(((string)row[0]!, (string)row[1]!, (byte[])row[2]!));
                    }

                    if (++rows % progressInterval == 0)
                    {
                        progress?.Report(new CopyProgress(table.Name, i, tables.Count, rows, Completed: false));
                    }
                }

                progress?.Report(new CopyProgress(table.Name, i, tables.Count, rows, Completed: true));
                results.Add(new TableCopyResult(table.Name, rows, 0, null, manifest.Tables[i].Digest, null));
            }

            var last = await reader.NextAsync(cancellationToken).ConfigureAwait(false);
            if (last?.Name != PortableFormat.ManifestEntry || await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } extra)
            {
                throw new PortableFileException(
                    $"The file holds an entry this format does not have ({(last?.Name == PortableFormat.ManifestEntry ? "after" : "in place of")} {PortableFormat.ManifestEntry}): it was edited.");
            }
        }

        return (results, keyChecks);
    }

    /// <summary>Moves <paramref name="reader"/> to the stream of <paramref name="table"/>, the next entry, and streams its validated rows.</summary>
    public static async IAsyncEnumerable<object?[]> RowsAsync(
        PortableArchiveReader reader, PortableManifest manifest, PortableTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var expected = manifest.Tables.Single(t => t.Name == table.Name);
        var entry = await reader.NextAsync(cancellationToken).ConfigureAwait(false);
        if (entry?.Name != expected.Entry)
        {
            throw new PortableFileException(
                $"The file has no stream for table {table.Name} where it belongs (entry {expected.Entry}, found {(entry is { } e ? e.Name : "the archive's end")}): " +
                "it is incomplete or was repacked. Export it again.",
                table.Name);
        }

        await foreach (var row in PortableRowReader.ReadAsync(entry.Value.Data, table, expected, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }
}
