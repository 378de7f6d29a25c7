using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace GatewayStorage.Postgres;

/// <summary>Percent-encoding of connection URI parts, by libpq's rules when decoding and RFC 3986's when encoding.</summary>
internal static class PercentEncoding
{
    // libpq's rules: '%' and two hex digits, never %00; '+' stays '+'. The bytes must form valid UTF-8.
    public static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? value)
    {
        if (!text.Contains('%'))
        {
            value = text.ToString();
            return true;
        }

        value = null;
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                var decoded = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                if (decoded == 0)
                {
                    return false;
                }

                bytes[length++] = decoded;
                i += 3;
            }
            else
            {
                var next = text[i..].IndexOf('%');
                var run = next < 0 ? text[i..] : text.Slice(i, next);
                length += Encoding.UTF8.GetBytes(run, bytes.AsSpan(length));
                i += run.Length;
            }
        }

        var span = bytes.AsSpan(0, length);
        if (!Utf8.IsValid(span))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(span);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Keeps RFC 3986 unreserved characters (and those in keep); percent-encodes the UTF-8 bytes of the rest.
    public static void AppendEncoded(StringBuilder builder, string value, string keep)
    {
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || keep.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
                continue;
            }

            var charCount = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var written = Encoding.UTF8.GetBytes(value.AsSpan(i, charCount), buffer);
            for (var b = 0; b < written; b++)
            {
                builder.Append('%').Append(buffer[b].ToString("X2", CultureInfo.InvariantCulture));
            }

            i += charCount - 1;
        }
    }
}
