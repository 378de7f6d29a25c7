using System.Formats.Tar;
using System.IO.Compression;

namespace GatewayStorage.Relational;

/// <summary>Reads a <c>.tar.gz</c> portable file as a stream: each entry's data is read straight from the archive.</summary>
internal sealed class TarGzArchiveReader : PortableArchiveReader
{
    private readonly Stream _file;
    private readonly GZipStream _gzip;
    private readonly TarReader _tar;

    public TarGzArchiveReader(Stream file)
    {
        _file = file;
        _gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        _tar = new TarReader(_gzip, leaveOpen: true);
    }

    public override async Task<(string Name, Stream Data, long Length)?> NextAsync(CancellationToken cancellationToken)
    {
        TarEntry? entry;
        try
        {
            entry = await _tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw Damaged(".tar.gz", ex);
        }

        return entry is null ? null : (entry.Name, entry.DataStream ?? Stream.Null, entry.Length);
    }

    public override async ValueTask DisposeAsync()
    {
        await _tar.DisposeAsync().ConfigureAwait(false);
        await _gzip.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }
}
