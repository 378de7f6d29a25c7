using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GatewayStorage.Relational;

namespace GatewayStorage.Tests.Relational;

/// <summary>The table digest against its documented encoding (docs/portable-format.md), written out plainly here.</summary>
public sealed class TableDigestTests
{
    private static readonly PortableTable Table = new("t", ["g"],
        new("g", ColumnKind.Guid), new("t", ColumnKind.Text, true), new("i", ColumnKind.Int32), new("l", ColumnKind.Int64),
        new("b", ColumnKind.Boolean), new("d", ColumnKind.Time), new("j", ColumnKind.Json, true), new("x", ColumnKind.Bytes));

    private static byte[] Value(char tag, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var value = new byte[5 + bytes.Length];
        value[0] = (byte)tag;
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1), bytes.Length);
        bytes.CopyTo(value, 5);
        return value;
    }

    [Fact]
    public void The_digest_hashes_each_value_tagged_and_length_prefixed_in_its_canonical_text()
    {
        var id = Guid.Parse("0193A4F2-1B2C-7D3E-8F40-5A6B7C8D9E0F");
        var time = new DateTimeOffset(2026, 12, 5, 20, 1, 2, TimeSpan.FromHours(1)).AddTicks(1_234_560);
        var longText = string.Concat(Enumerable.Repeat("Ж😀e", 700));
        object?[][] rows =
        [
            [id, "Zoë ☕", -7, long.MaxValue, true, time, """{"a": [1, 2.50]}""", new byte[] { 0x00, 0xAB, 0xFF }],
            [id, null, 0, 0L, false, DateTimeOffset.UnixEpoch, null, Array.Empty<byte>()],
            [id, longText, int.MinValue, -1L, true, time, longText, Enumerable.Range(0, 600).Select(i => (byte)i).ToArray()],
        ];
        var expected = new List<byte>();
        var checks = new List<string>();
        using var digest = new TableDigest(Table);

        foreach (var row in rows)
        {
            digest.Append(row);
            expected.AddRange(Value('G', "0193a4f2-1b2c-7d3e-8f40-5a6b7c8d9e0f"));
            expected.AddRange(row[1] is string text ? Value('T', text) : "N"u8.ToArray());
            expected.AddRange(Value('I', row[2]!.ToString()!));
            expected.AddRange(Value('I', row[3]!.ToString()!));
            expected.AddRange(Value('B', (bool)row[4]! ? "1" : "0"));
            expected.AddRange(Value('D', (((DateTimeOffset)row[5]!).ToUnixTimeMilliseconds() * 1000 + (((DateTimeOffset)row[5]!).UtcTicks % TimeSpan.TicksPerMillisecond / 10)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            expected.AddRange(row[6] is string json ? Value('J', json) : "N"u8.ToArray());
            expected.AddRange(Value('X', Convert.ToHexStringLower((byte[])row[7]!)));
            expected.Add((byte)'\n');
            checks.Add(digest.LineCheck());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. expected]))[..16], checks[^1]);
        }

        Assert.Equal(3, digest.Rows);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. expected])), digest.Finish());
        Assert.Equal(3, checks.Distinct().Count());
    }
}
