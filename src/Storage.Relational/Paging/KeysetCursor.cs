using System.Buffers.Text;
using System.Text;

namespace GatewayStorage.Relational;

/// <summary>
/// Encodes the last key of a page as an opaque cursor, bound to the list it came from, and reads it back.
/// </summary>
internal static class KeysetCursor
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string list, string key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(list + "\n" + key));

    /// <summary>Reads the key of a cursor; <see langword="null"/> for the first page.</summary>
    /// <exception cref="ArgumentException">The cursor is malformed or belongs to another list.</exception>
    public static string? Decode(string list, string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        string text;
        try
        {
            // Strict UTF-8: a lenient decode would turn invalid bytes into U+FFFD on one engine's key and not the other's.
            text = StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new ArgumentException("The cursor is not one this library returned.", nameof(PageRequest.Cursor), ex);
        }

        // A key this library wrote never holds NUL (PostgreSQL refuses it, SQLite would compare with it).
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The cursor is not one this library returned.", nameof(PageRequest.Cursor));
        }

        var separator = text.IndexOf('\n', StringComparison.Ordinal);
        if (separator < 0 || !text.AsSpan(0, separator).SequenceEqual(list))
        {
            throw new ArgumentException($"The cursor does not belong to the {list} list.", nameof(PageRequest.Cursor));
        }

        return text[(separator + 1)..];
    }

    /// <summary>Reads a cursor whose key is a <see cref="Guid"/>.</summary>
    public static Guid? DecodeGuid(string list, string? cursor)
    {
        var key = Decode(list, cursor);
        if (key is null)
        {
            return null;
        }

        return Guid.TryParseExact(key, "D", out var id)
            ? id
            : throw new ArgumentException($"The cursor does not belong to the {list} list.", nameof(PageRequest.Cursor));
    }

    /// <summary>
    /// Makes a page of rows fetched with a limit one larger than the page: the extra row only says that
    /// another page follows.
    /// </summary>
    public static Page<T> ToPage<T>(List<T> rows, PageRequest page, string list, Func<T, string> keyOf)
    {
        if (rows.Count <= page.Limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveRange(page.Limit, rows.Count - page.Limit);
        return new Page<T>(rows, Encode(list, keyOf(rows[^1])));
    }
}
