using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GatewayStorage.Relational;

/// <summary>
/// The content digest of a table, computed the same way on every engine: SHA-256 over the canonical encoding of each
/// row, in key order. Each value is a one-letter tag, then (except for null) a 4-byte big-endian length and the
/// UTF-8 bytes of its canonical text: <c>G</c> UUID lower-case with hyphens, <c>T</c> text as stored, <c>I</c> integer
/// in decimal, <c>B</c> boolean <c>0</c>/<c>1</c>, <c>D</c> time as decimal UTC microseconds since the Unix epoch,
/// <c>J</c> JSON text as stored, <c>X</c> bytes as lower-case hex, <c>N</c> null. Each row ends with a line feed.
/// </summary>
internal sealed class TableDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IReadOnlyList<PortableColumn> _columns;

    public TableDigest(PortableTable table) => _columns = table.Columns;

    /// <summary>How many rows were appended.</summary>
    public long Rows { get; private set; }

    public void Append(object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            var value = row[i];
            if (value is null)
            {
                _hash.AppendData("N"u8);
                continue;
            }

            var (tag, text) = _columns[i].Kind switch
            {
                ColumnKind.Guid => ((byte)'G', ((Guid)value).ToString("D")),
                ColumnKind.Text => ((byte)'T', (string)value),
                ColumnKind.Int32 => ((byte)'I', ((int)value).ToString(CultureInfo.InvariantCulture)),
                ColumnKind.Int64 => ((byte)'I', ((long)value).ToString(CultureInfo.InvariantCulture)),
                ColumnKind.Boolean => ((byte)'B', (bool)value ? "1" : "0"),
                ColumnKind.Time => ((byte)'D', Microseconds((DateTimeOffset)value).ToString(CultureInfo.InvariantCulture)),
                ColumnKind.Json => ((byte)'J', (string)value),
                ColumnKind.Bytes => ((byte)'X', Convert.ToHexStringLower((byte[])value)),
                _ => throw new InvalidOperationException($"Unknown column kind {_columns[i].Kind}."),
            };
            Append(tag, text);
        }

        _hash.AppendData("\n"u8);
        Rows++;
    }

    /// <summary>
    /// The first 8 bytes of the digest of the rows appended so far, as lower-case hex: the per-line check of a portable
    /// file, which names the first line where a stream stops matching what was exported.
    /// </summary>
    public string LineCheck()
    {
        Span<byte> current = stackalloc byte[32];
        _hash.GetCurrentHash(current);
        return Convert.ToHexStringLower(current[..8]);
    }

    /// <summary>The digest so far, as lower-case hex.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private void Append(byte tag, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> header = stackalloc byte[5];
        header[0] = tag;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], bytes.Length);
        _hash.AppendData(header);
        _hash.AppendData(bytes);
    }

    private static long Microseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
