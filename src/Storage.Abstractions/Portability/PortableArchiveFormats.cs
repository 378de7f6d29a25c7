namespace GatewayStorage.Portability;

/// <summary>Which <see cref="PortableArchiveFormat"/> a path names.</summary>
internal static class PortableArchiveFormats
{
    /// <summary>The format the extension of <paramref name="path"/> names: <c>.zip</c>, <c>.tar.gz</c> or <c>.tgz</c>, in any case.</summary>
    /// <exception cref="ArgumentException">The path is empty or has another extension.</exception>
    public static PortableArchiveFormat FromPath(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return PortableArchiveFormat.Zip;
        }

        if (path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            return PortableArchiveFormat.TarGz;
        }

        throw new ArgumentException(
            $"A portable export file is a .zip or a .tar.gz archive, chosen by the file name's extension; '{Path.GetFileName(path)}' has neither.",
            parameterName);
    }
}
