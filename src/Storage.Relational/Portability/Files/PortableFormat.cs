using System.Globalization;

namespace GatewayStorage.Relational;

/// <summary>The fixed names and forms of the portable file format (docs/portable-format.md).</summary>
internal static class PortableFormat
{
    /// <summary>The <c>format</c> field of every manifest: what the file is.</summary>
    public const string Name = "gateway-storage-export";

    /// <summary>
    /// The format version this library writes and the newest it reads. It changes only when a reader of the previous
    /// version could not read the file correctly; a new table or column is a schema version, not a format version.
    /// </summary>
    public const int Version = 1;

    /// <summary>The manifest's entry: the last of the archive.</summary>
    public const string ManifestEntry = "manifest.json";

    /// <summary>The per-line check member of each row's object; no column is named so.</summary>
    public const string CheckMember = "#";

    /// <summary>A manifest is a few kilobytes; a larger one is not this library's.</summary>
    public const int MaxManifestBytes = 1 << 20;

    /// <summary>The longest row line accepted (the longest a stored row can encode to is far below it).</summary>
    public const int MaxLineBytes = 64 << 20;

    /// <summary>Times: UTC, whole microseconds, one fixed form.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>The entry holding the JSON Lines stream of <paramref name="table"/>.</summary>
    public static string EntryName(PortableTable table) => $"tables/{table.Name}.jsonl";

    public static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTime(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
