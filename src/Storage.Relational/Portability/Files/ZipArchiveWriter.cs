using System.IO.Compression;

namespace GatewayStorage.Relational;

/// <summary>A <c>.zip</c> portable file: each entry deflated as it is written, straight into the file.</summary>
internal sealed class ZipArchiveWriter : PortableArchiveWriter
{
    private readonly ZipArchive _zip;

    private ZipArchiveWriter(ZipArchive zip) => _zip = zip;

    public static async Task<ZipArchiveWriter> CreateAsync(Stream file, CancellationToken cancellationToken) =>
        new(await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false));

    public override async Task WriteEntryAsync(string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var entry = _zip.CreateEntry(name, CompressionLevel.Fastest);
        var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await write(stream).ConfigureAwait(false);
        }
    }

    public override ValueTask DisposeAsync() => _zip.DisposeAsync();
}
