using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>
/// The JSON rules shared by config values and audit details, so that both engines store and return the same text.
/// </summary>
/// <remarks>
/// <para>
/// The library writes one canonical form and stores it as text on both engines (SQLite text, PostgreSQL <c>json</c>,
/// which keeps the text as written): no white space between tokens; properties in the order given; number literals
/// exactly as written (<c>1E2</c> stays <c>1E2</c>, <c>-0</c> stays <c>-0</c>); strings re-escaped one fixed way:
/// <c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>, other characters below U+0020 as <c>\u00xx</c> (lower-case hex),
/// everything else as the character itself. The size limit applies to this canonical text, so nothing reads back
/// larger than the limit it was accepted under.
/// </para>
/// <para>
/// A value is refused when it is undefined; nested more than <see cref="MaxDepth"/> levels; has a string or
/// property name that is not valid Unicode (invalid UTF-8, an unpaired surrogate) or holds NUL; has a property
/// name twice; or has a number outside what every engine and reader holds: a literal longer than
/// <see cref="MaxNumberLength"/> characters, or one whose magnitude is outside the range of a double (it would
/// read back as infinity, or as zero although it is not zero).
/// </para>
/// </remarks>
internal static class JsonText
{
    /// <summary>The deepest nesting a value may have: what <see cref="JsonDocument"/> reads back by default.</summary>
    public const int MaxDepth = 64;

    /// <summary>The longest number literal accepted: room for any double or decimal written in full.</summary>
    public const int MaxNumberLength = 64;

    /// <summary>Checks a value and returns its canonical text.</summary>
    /// <exception cref="ArgumentException">The value breaks one of the rules, or its canonical text is longer than <paramref name="maxLength"/>.</exception>
    public static string Serialize(JsonElement value, string paramName, int maxLength)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JSON value is undefined (default(JsonElement)).", paramName);
        }

        var writer = new CanonicalWriter(paramName, maxLength);
        try
        {
            writer.Write(value, depth: 1);
        }
        catch (InvalidOperationException ex)
        {
            // JsonElement refuses to read a string that is not valid UTF-8 or decodes to an unpaired surrogate.
            throw new ArgumentException("The JSON value contains a string that is not valid Unicode (invalid UTF-8 or an unpaired surrogate).", paramName, ex);
        }

        return writer.ToString();
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private sealed class CanonicalWriter(string paramName, int maxLength)
    {
        private readonly StringBuilder _text = new();

        public override string ToString() => _text.ToString();

        public void Write(JsonElement value, int depth)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    CheckDepth(depth);
                    Append('{');
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    var first = true;
                    foreach (var property in value.EnumerateObject())
                    {
                        if (!names.Add(property.Name))
                        {
                            // PostgreSQL's jsonb would keep the last one and SQLite's JSON functions the first.
                            throw new ArgumentException("The JSON value has a property name twice in one object.", paramName);
                        }

                        if (!first)
                        {
                            Append(',');
                        }

                        first = false;
                        WriteString(property.Name);
                        Append(':');
                        Write(property.Value, depth + 1);
                    }

                    Append('}');
                    break;
                case JsonValueKind.Array:
                    CheckDepth(depth);
                    Append('[');
                    var firstItem = true;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (!firstItem)
                        {
                            Append(',');
                        }

                        firstItem = false;
                        Write(item, depth + 1);
                    }

                    Append(']');
                    break;
                case JsonValueKind.String:
                    WriteString(value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    WriteNumber(value.GetRawText());
                    break;
                case JsonValueKind.True:
                    Append("true");
                    break;
                case JsonValueKind.False:
                    Append("false");
                    break;
                default:
                    Append("null");
                    break;
            }
        }

        private void WriteNumber(string literal)
        {
            if (literal.Length > MaxNumberLength)
            {
                throw new ArgumentException($"The JSON value has a number literal of {literal.Length} characters; at most {MaxNumberLength} are allowed.", paramName);
            }

            // A JSON literal always parses as a double; only its range is in question.
            var number = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(number) || (number == 0 && HasNonZeroDigit(literal)))
            {
                throw new ArgumentException($"The JSON value has the number {literal}, outside the range of a double.", paramName);
            }

            Append(literal);
        }

        private static bool HasNonZeroDigit(string literal)
        {
            foreach (var c in literal)
            {
                if (c is 'e' or 'E')
                {
                    return false;
                }

                if (c is >= '1' and <= '9')
                {
                    return true;
                }
            }

            return false;
        }

        private void WriteString(string value)
        {
            // The text rule of every other input: no NUL (\u0000), no unpaired surrogate.
            Check.Storable(value, paramName);

            Append('"');
            var start = 0;
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c >= ' ' && c != '"' && c != '\\')
                {
                    continue;
                }

                Append(value.AsSpan(start, i - start));
                start = i + 1;
                switch (c)
                {
                    case '"': Append("\\\""); break;
                    case '\\': Append("\\\\"); break;
                    case '\b': Append("\\b"); break;
                    case '\f': Append("\\f"); break;
                    case '\n': Append("\\n"); break;
                    case '\r': Append("\\r"); break;
                    case '\t': Append("\\t"); break;
                    default: Append(string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")); break;
                }
            }

            Append(value.AsSpan(start));
            Append('"');
        }

        private void CheckDepth(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new ArgumentException($"The JSON value is nested more than {MaxDepth} levels deep.", paramName);
            }
        }

        private void Append(char c)
        {
            _text.Append(c);
            CheckLength();
        }

        private void Append(ReadOnlySpan<char> text)
        {
            _text.Append(text);
            CheckLength();
        }

        private void CheckLength()
        {
            // Checked while writing, so a huge document is refused without building all of it.
            if (_text.Length > maxLength)
            {
                throw new ArgumentException($"The JSON value is longer than {maxLength} characters in its canonical form.", paramName);
            }
        }
    }
}
