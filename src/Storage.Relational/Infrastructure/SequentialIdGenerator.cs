using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GatewayStorage.Relational;

/// <summary>
/// Makes version 7 GUIDs (RFC 9562) that strictly increase for one provider: the 48-bit millisecond timestamp, then a
/// 12-bit counter in <c>rand_a</c> for ids made in the same millisecond (RFC 9562, method 1), then 62 random bits.
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> fills <c>rand_a</c> randomly, so two ids of one millisecond
/// could sort either way, and a row inserted just after a page was read could sort before that page's cursor.
/// </summary>
internal sealed class SequentialIdGenerator
{
    private readonly Lock _lock = new();
    private long _lastMilliseconds = long.MinValue;
    private int _counter;

    public Guid Next(DateTimeOffset now)
    {
        long milliseconds;
        int counter;
        lock (_lock)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), 0);
            if (milliseconds <= _lastMilliseconds)
            {
                // Same millisecond, or a clock that stepped back: continue from the last id.
                milliseconds = _lastMilliseconds;
                if (++_counter > 0xFFF)
                {
                    milliseconds++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }

            _lastMilliseconds = milliseconds;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[6..], (ushort)(0x7000 | counter));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
