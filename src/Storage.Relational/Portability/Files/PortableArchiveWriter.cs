using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>Writes the entries of a portable file, one after the other, into a <c>.zip</c> or a <c>.tar.gz</c>.</summary>
internal abstract class PortableArchiveWriter : IAsyncDisposable
{
    public static async Task<PortableArchiveWriter> CreateAsync(PortableArchiveFormat format, Stream file, CancellationToken cancellationToken) => format switch
    {
        PortableArchiveFormat.Zip => await ZipArchiveWriter.CreateAsync(file, cancellationToken).ConfigureAwait(false),
        PortableArchiveFormat.TarGz => new TarGzArchiveWriter(file),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Adds an entry named <paramref name="name"/> whose content <paramref name="write"/> writes into the stream it is given.</summary>
    public abstract Task WriteEntryAsync(string name, Func<Stream, Task> write, CancellationToken cancellationToken);

    /// <summary>Writes the archive's end; the file is complete once this returns.</summary>
    public abstract ValueTask DisposeAsync();
}
