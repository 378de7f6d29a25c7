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
    private byte[] _buffer = new byte[1024];

    public TableDigest(PortableTable table) => _columns = table.Columns;

    /// <summary>How many rows were appended.</summary>
    public long Rows { get; private set; }

    public void Append(object?[] row)
    {
        // The row's canonical encoding is built in one reused buffer and hashed at once: no string or array per value
        // (COPY-RESULTS.md: the per-value strings were most of the copy's allocations).
        var length = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var value = row[i];
            if (value is null)
            {
                Reserve(length, 1)[length++] = (byte)'N';
                continue;
            }

            var kind = _columns[i].Kind;
            var maxText = kind switch
            {
                ColumnKind.Text or ColumnKind.Json => Encoding.UTF8.GetMaxByteCount(((string)value).Length),
                ColumnKind.Bytes => ((byte[])value).Length * 2,
                _ => 40,
            };
            var target = Reserve(length, 5 + maxText).AsSpan(length);
            var text = target[5..];
            int written;
            switch (kind)
            {
                case ColumnKind.Guid:
                    target[0] = (byte)'G';
                    ((Guid)value).TryFormat(text, out written, "D");
                    break;
                case ColumnKind.Text:
                case ColumnKind.Json:
                    target[0] = kind == ColumnKind.Text ? (byte)'T' : (byte)'J';
                    written = Encoding.UTF8.GetBytes((string)value, text);
                    break;
                case ColumnKind.Int32:
                    target[0] = (byte)'I';
                    ((int)value).TryFormat(text, out written, default, CultureInfo.InvariantCulture);
                    break;
                case ColumnKind.Int64:
                    target[0] = (byte)'I';
                    ((long)value).TryFormat(text, out written, default, CultureInfo.InvariantCulture);
                    break;
                case ColumnKind.Boolean:
                    target[0] = (byte)'B';
                    text[0] = (bool)value ? (byte)'1' : (byte)'0';
                    written = 1;
                    break;
                case ColumnKind.Time:
                    target[0] = (byte)'D';
                    Microseconds((DateTimeOffset)value).TryFormat(text, out written, default, CultureInfo.InvariantCulture);
                    break;
                case ColumnKind.Bytes:
                    target[0] = (byte)'X';
                    written = LowerHex((byte[])value, text);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown column kind {kind}.");
            }

            BinaryPrimitives.WriteInt32BigEndian(target[1..], written);
            length += 5 + written;
        }

        Reserve(length, 1)[length++] = (byte)'\n';
        _hash.AppendData(_buffer, 0, length);
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

    /// <summary>The row buffer, grown (keeping its first <paramref name="used"/> bytes) to hold <paramref name="more"/> bytes after them.</summary>
    private byte[] Reserve(int used, int more)
    {
        if (used + more > _buffer.Length)
        {
            var larger = new byte[Math.Max(_buffer.Length * 2, used + more)];
            _buffer.AsSpan(0, used).CopyTo(larger);
            _buffer = larger;
        }

        return _buffer;
    }

    private static int LowerHex(byte[] bytes, Span<byte> into)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < bytes.Length; i++)
        {
            into[2 * i] = digits[bytes[i] >> 4];
            into[(2 * i) + 1] = digits[bytes[i] & 0xF];
        }

        return bytes.Length * 2;
    }

    private static long Microseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
