using System.IO.Compression;

namespace GatewayStorage.Relational;

/// <summary>Reads a <c>.zip</c> portable file through its central directory, entries in archive order.</summary>
internal sealed class ZipArchiveReader : PortableArchiveReader
{
    private readonly ZipArchive _zip;
    private int _next;
    private Stream? _current;

    private ZipArchiveReader(ZipArchive zip) => _zip = zip;

    public static async Task<ZipArchiveReader> OpenAsync(Stream file, CancellationToken cancellationToken)
    {
        try
        {
            return new ZipArchiveReader(await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken).ConfigureAwait(false));
        }
        catch (InvalidDataException ex)
        {
            // The central directory is at the end of a zip: a truncated file loses it, and with it every entry.
            throw Damaged(".zip", ex);
        }
    }

    public override async Task<(string Name, Stream Data, long Length)?> NextAsync(CancellationToken cancellationToken)
    {
        await CloseCurrentAsync().ConfigureAwait(false);
        if (_next >= _zip.Entries.Count)
        {
            return null;
        }

        var entry = _zip.Entries[_next++];
        try
        {
            _current = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(".zip", ex);
        }

        return (entry.FullName, _current, entry.Length);
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseCurrentAsync().ConfigureAwait(false);
        await _zip.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseCurrentAsync()
    {
        if (_current is { } current)
        {
            _current = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }
}
