using System.Text;

namespace GatewayStorage;

/// <summary>
/// The argument rules every backend shares. Each throws from the <see cref="ArgumentException"/> family before
/// any I/O; messages name the parameter and the rule, never the value of a secret.
/// Every text rule includes <see cref="Storable"/>: text one engine cannot store unchanged (NUL, which PostgreSQL
/// refuses, and an unpaired surrogate, which PostgreSQL refuses and SQLite silently turns into U+FFFD) is refused
/// on every engine, so both behave the same.
/// </summary>
internal static class Check
{
    /// <summary>A required single-line text: not null, not white space only, no control characters, no surrounding white space.</summary>
    public static string Name(string? value, string paramName, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        Length(value, paramName, maxLength);
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException("The value must not start or end with white space.", paramName);
        }

        NoControlCharacters(value, paramName);
        return value;
    }

    /// <summary>A required text that may span lines: not null, not white space only, storable (no NUL, no unpaired surrogate).</summary>
    public static string Text(string? value, string paramName, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        Length(value, paramName, maxLength);
        return value;
    }

    /// <summary>An optional text that may span lines: null, or at most <paramref name="maxLength"/> storable characters.</summary>
    public static string? OptionalText(string? value, string paramName, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        Length(value, paramName, maxLength);
        return value;
    }

    /// <summary>
    /// An optional single-line text (an actor, an IP address, a user agent): null, or at most <paramref name="maxLength"/>
    /// characters without control characters, so that a stored value can never forge a line in a log or a report.
    /// </summary>
    public static string? OptionalLine(string? value, string paramName, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        Length(value, paramName, maxLength);
        NoControlCharacters(value, paramName);
        return value;
    }

    /// <summary>A secret: required, at most <paramref name="maxLength"/> storable characters. Messages never show it.</summary>
    public static string Secret(string? value, string paramName, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length == 0)
        {
            throw new ArgumentException("The value must not be empty.", paramName);
        }

        Length(value, paramName, maxLength);
        return value;
    }

    /// <summary>An absolute URL with one of the allowed schemes.</summary>
    public static Uri AbsoluteUrl(Uri? value, string paramName, params ReadOnlySpan<string> schemes)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!value.IsAbsoluteUri)
        {
            throw new ArgumentException("The URL must be absolute.", paramName);
        }

        var ok = false;
        foreach (var scheme in schemes)
        {
            ok |= string.Equals(value.Scheme, scheme, StringComparison.OrdinalIgnoreCase);
        }

        if (!ok)
        {
            throw new ArgumentException($"The URL scheme '{value.Scheme}' is not allowed; use {string.Join(", ", schemes.ToArray())}.", paramName);
        }

        var text = value.OriginalString;
        Length(text, paramName, 2048);
        NoControlCharacters(text, paramName);
        return value;
    }

    /// <summary>A page of a list, or the first page when <see langword="null"/>.</summary>
    public static PageRequest Page(PageRequest? page) => page ?? PageRequest.First;

    /// <summary>
    /// Refuses text that one engine cannot store unchanged: NUL (U+0000) and an unpaired UTF-16 surrogate. Every
    /// other code point, non-characters (U+FFFE, U+FFFF) and format characters included, round-trips on both engines.
    /// The message gives the position, never the value (it may be a secret).
    /// </summary>
    public static void Storable(string value, string paramName)
    {
        var span = value.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '\0')
            {
                throw new ArgumentException($"The value must not contain NUL characters (found at index {i}).", paramName);
            }

            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException($"The value must be valid Unicode text (an unpaired surrogate U+{(int)c:X4} at index {i}).", paramName);
            }
        }
    }

    private static void Length(string value, string paramName, int maxLength)
    {
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The value is {value.Length} characters long; at most {maxLength} are allowed.", paramName);
        }

        Storable(value, paramName);
    }

    private static void NoControlCharacters(string value, string paramName)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The value must not contain control characters (found U+{(int)c:X4}).", paramName);
            }
        }
    }

    /// <summary>The case-insensitive, Unicode-aware form a natural key is stored and compared under.</summary>
    public static string Normalize(string value) => value.Normalize(NormalizationForm.FormC).ToUpperInvariant();
}
