using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

/// <summary>Reads the entries of a portable file in archive order, one at a time.</summary>
internal abstract class PortableArchiveReader : IAsyncDisposable
{
    /// <summary>Opens the file at <paramref name="path"/>.</summary>
    /// <exception cref="PortableFileException">The file is not an archive of <paramref name="format"/>, or its end is missing.</exception>
    public static async Task<PortableArchiveReader> OpenAsync(string path, PortableArchiveFormat format, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            return format switch
            {
                PortableArchiveFormat.Zip => await ZipArchiveReader.OpenAsync(file, cancellationToken).ConfigureAwait(false),
                _ => new TarGzArchiveReader(file),
            };
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Moves to the next entry and returns its name and content (valid until the next call), or <see langword="null"/>
    /// after the last entry.
    /// </summary>
    /// <exception cref="PortableFileException">The archive is damaged or truncated.</exception>
    public abstract Task<(string Name, Stream Data, long Length)?> NextAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    protected static PortableFileException Damaged(string what, Exception inner) =>
        new($"The file is not a readable {what} archive, or it is truncated: {inner.GetType().Name}. Export it again.", innerException: inner);
}
