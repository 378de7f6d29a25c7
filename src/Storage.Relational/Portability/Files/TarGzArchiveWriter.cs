using System.Formats.Tar;
using System.IO.Compression;

namespace GatewayStorage.Relational;

/// <summary>
/// A <c>.tar.gz</c> portable file. A tar header states its entry's length before the data, so each entry is first
/// written to a temporary file (deleted on close), then copied into the archive: memory stays flat.
/// </summary>
internal sealed class TarGzArchiveWriter : PortableArchiveWriter
{
    private readonly GZipStream _gzip;
    private readonly TarWriter _tar;

    public TarGzArchiveWriter(Stream file)
    {
        _gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
        _tar = new TarWriter(_gzip, TarEntryFormat.Pax, leaveOpen: true);
    }

    public override async Task WriteEntryAsync(string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), $"gateway-storage-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (spool.ConfigureAwait(false))
        {
            await write(spool).ConfigureAwait(false);
            await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = spool };
            await _tar.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _tar.DisposeAsync().ConfigureAwait(false);
        await _gzip.DisposeAsync().ConfigureAwait(false);
    }
}
