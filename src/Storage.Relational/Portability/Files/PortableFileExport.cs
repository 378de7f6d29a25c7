using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

internal static class PortableFileExport
{
    public static Task<DatabaseCopyReport> RunAsync(
        StoreContext source, string path, PortableArchiveFormat format, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Export is not implemented yet.");
}
