namespace GatewayStorage.Portability;

/// <summary>The container of a portable export file, chosen by the file name's extension.</summary>
internal enum PortableArchiveFormat
{
    /// <summary>A <c>.zip</c> archive, every entry deflated.</summary>
    Zip,

    /// <summary>A <c>.tar.gz</c> (or <c>.tgz</c>) archive: a POSIX tar stream, gzip-compressed.</summary>
    TarGz,
}
