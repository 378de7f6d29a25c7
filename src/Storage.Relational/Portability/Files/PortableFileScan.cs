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
        // The manifest is the last entry. On the way to it a .tar.gz is read as a stream (a .zip is not: its directory
        // lists the entries), so its lines are counted: a truncated .tar.gz is then refused naming where it breaks.
        var countLines = format == PortableArchiveFormat.TarGz;
        (string Entry, long Lines)? last = null;
        var reader = await PortableArchiveReader.OpenAsync(path, format, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            (string Name, Stream Data, long Length)? manifest = null;
            try
            {
                while (manifest is null && await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.Name == PortableFormat.ManifestEntry)
                    {
                        manifest = entry;
                    }
                    else
                    {
                        last = (entry.Name, countLines ? await CountLinesAsync(entry.Data, cancellationToken).ConfigureAwait(false) : 0);
                    }
                }
            }
            catch (Exception ex) when (last is { } at && ex is InvalidDataException or EndOfStreamException or PortableFileException)
            {
                throw BreaksIn(at.Entry, at.Lines, ex);
            }

            if (manifest is { } found)
            {
                if (found.Length > PortableFormat.MaxManifestBytes)
                {
                    throw new PortableFileException($"The file's {PortableFormat.ManifestEntry} is larger than any manifest this library writes: it is not a GatewayStorage export.");
                }

                return await PortableManifest.ReadAsync(found.Data, cancellationToken).ConfigureAwait(false);
            }
        }

        if (last is { } end && countLines)
        {
            throw BreaksIn(end.Entry, end.Lines, null);
        }

        throw new PortableFileException(
            $"The file has no {PortableFormat.ManifestEntry}, which a GatewayStorage export writes last: it is truncated, or not a GatewayStorage export.");
    }

    private static PortableFileException BreaksIn(string entry, long lines, Exception? inner)
    {
        var table = PortableTables.All.FirstOrDefault(t => PortableFormat.EntryName(t) == entry)?.Name;
        return new PortableFileException(
            $"The file is truncated or damaged: it breaks in {(table is null ? $"entry {entry}" : $"table {table}")} after line {lines}, before its " +
            $"{PortableFormat.ManifestEntry}. Export it again.",
            table, lines + 1, inner);
    }

    private static async Task<long> CountLinesAsync(Stream data, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var lines = 0L;
            int read;
            while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }

            return lines;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
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
