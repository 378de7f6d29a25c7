using GatewayStorage.Portability;

namespace GatewayStorage.Relational;

internal static class PortableFileImport
{
    public static Task<DatabaseCopyReport> RunAsync(
        StoreContext target, string path, PortableArchiveFormat format, DatabaseCopyOptions options, IProgress<CopyProgress>? progress, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Import is not implemented yet.");
}
