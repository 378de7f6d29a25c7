using System.Formats.Tar;
using System.IO.Compression;

namespace GatewayStorage.Tests.Conformance.Portability;

/// <summary>Reads a small portable file's entries into memory and writes them back, so that a test can damage one.</summary>
internal static class ArchiveEntries
{
    public static List<(string Name, byte[] Data)> Read(string path)
    {
        var entries = new List<(string, byte[])>();
        using var file = File.OpenRead(path);
        if (path.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                using var data = entry.Open();
                entries.Add((entry.FullName, ReadAll(data)));
            }
        }
        else
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                entries.Add((entry.Name, entry.DataStream is { } data ? ReadAll(data) : []));
            }
        }

        return entries;
    }

    public static void Write(string path, IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var file = File.Create(path);
        if (path.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create);
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(data);
            }
        }
        else
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
            foreach (var (name, data) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
        }
    }

    /// <summary>Rewrites the entry <paramref name="name"/> of the file through <paramref name="edit"/>.</summary>
    public static void Edit(string path, string name, Func<byte[], byte[]> edit)
    {
        var entries = Read(path);
        var index = entries.FindIndex(e => e.Name == name);
        Assert.True(index >= 0, $"{name} is not in the file");
        entries[index] = (name, edit(entries[index].Data));
        Write(path, entries);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
