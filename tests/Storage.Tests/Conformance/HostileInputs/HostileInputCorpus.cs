using System.Buffers.Text;
using System.Text;

namespace GatewayStorage.Tests.Conformance.HostileInputs;

/// <summary>Inputs that one engine or another has been seen to store, change or refuse differently.</summary>
public static class HostileInputCorpus
{
    /// <summary>Text inputs, distinct, in a fixed order (both engines see them in the same order).</summary>
    public static IReadOnlyList<string?> Texts { get; } = BuildTexts();

    /// <summary>JSON documents as UTF-8 bytes (some deliberately not valid UTF-8).</summary>
    public static IReadOnlyList<(string Name, byte[] Utf8)> Json { get; } = BuildJson();

    /// <summary>Cursors no list ever returned.</summary>
    public static IReadOnlyList<string> Cursors { get; } = BuildCursors();

    public static int Count => Texts.Count + Json.Count + Cursors.Count;

    private static List<string?> BuildTexts()
    {
        var texts = new List<string?> { null, "plain", "a", "A", "a\uD800b" };

        // Lone surrogates, high and low, alone and at the start, middle and end; a reversed pair; a valid pair.
        foreach (var surrogate in new[] { "\uD800", "\uDBFF", "\uDC00", "\uDFFF" })
        {
            texts.AddRange([surrogate, surrogate + "abc", "ab" + surrogate + "c", "abc" + surrogate, "x" + surrogate + surrogate]);
        }

        texts.AddRange(["\uDC00\uD800", "\uD83D\uDE00", "a\uD83D", "\uDE00a"]);

        // NUL and other C0/C1 controls, DEL.
        texts.AddRange(["\0", "\0abc", "ab\0c", "abc\0"]);
        foreach (var c in new[] { '\u0001', '\u0007', '\b', '\t', '\n', '\v', '\f', '\r', '\u001B', '\u001F', '\u007F', '\u0080', '\u0085', '\u009B', '\u009F' })
        {
            texts.Add("ab" + c + "c");
        }

        // BOM, non-characters, private use, unassigned.
        texts.AddRange(["\uFEFF", "\uFEFFabc", "ab\uFEFFc", "\uFFFE", "\uFFFF", "ab\uFFFEc", "ab\uFFFFc", "\uFDD0", "\uFDEF",
            "\uD83F\uDFFE", "\uDBFF\uDFFF", "\uE000", "\uF8FF", "\u0378", "\uFFFD"]);

        // Combining sequences, bidirectional overrides, zero-width characters.
        texts.AddRange(["e\u0301", "\u0301", "\u0301abc", "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308", "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357",
            "\u202Eabc", "abc\u202E", "\u202Dabc\u202C", "\u200F", "\u2066x\u2069", "\u200B", "a\u200Bb", "a\u200Db", "\u2060"]);

        // Emoji and other astral text, scripts.
        texts.AddRange(["😀", "👨‍👩‍👧‍👦", "🇩🇪", "𝕏", "𐍈", "名前 🚀 ∑", "עברית", "العربية", "한국어", "각"]);

        // Length at and past the limits the contract states (64, 100, 200, 254, 500, 1,000, 2,048, 4,096).
        foreach (var length in new[] { 64, 65, 100, 101, 200, 201, 254, 255, 500, 501, 1000, 1001, 2048, 2049, 4096, 4097, 20_000 })
        {
            texts.Add(new string('a', length));
        }

        texts.AddRange([string.Concat(Enumerable.Repeat("😀", 50)), string.Concat(Enumerable.Repeat("😀", 51)), string.Concat(Enumerable.Repeat("😀", 100)),
            string.Concat(Enumerable.Repeat("😀", 101)), new string('a', 199) + "😀", new string('a', 99) + "\uD800"]);

        // SQL fragments.
        texts.AddRange(["' OR '1'='1", "'; DROP TABLE users; --", "\" OR 1=1 --", "1; SELECT pg_sleep(1)", "Robert'); DROP TABLE students;--",
            "$1", "@id", "?", "/* */", "--", "\\x00", "E'\\\\x00'", "'", "''", "\""]);

        // LIKE wildcards and escapes.
        texts.AddRange(["%", "_", "\\", "a%b", "a_b", "a\\b", "%%", "\\%", "\\_", "[a-z]", "*", "^$", "%@%", "_@_"]);

        // White space.
        texts.AddRange(["", " ", "  ", "\t", "\u00A0", "\u2003", "\u3000", "\u2028", "\u2029", " a", "a ", "a b", "\u00A0a", "a\u00A0", "a\u3000b"]);

        // Normalisation forms and case mapping.
        texts.AddRange(["\u00E9", "\u00C5", "A\u030A", "\u212B", "\uFB01", "\u01C4", "\u0130", "\u0131", "\u00DF", "\u1E9E", "caf\u00E9", "cafe\u0301"]);

        // Emails, well-formed and not.
        texts.AddRange(["user@example.org", "USER@EXAMPLE.ORG", "u\uD800@example.org", "u\0@example.org", "\u00C4LICE@ex\u00E4mple.org",
            "\u00E4lice@ex\u00E4mple.org", "a\u0308lice@exa\u0308mple.org", "a@b", "@", "a@@b", "user@exa\u202Emple.org", "user+tag@example.org",
            "user@example.org\uD800", "\uFEFFuser@example.org", "us\u200Ber@example.org", "user@ex%ample.org", "user_1@example.org"]);

        var seen = new HashSet<string?>(StringComparer.Ordinal);
        return texts.Where(seen.Add).ToList();
    }

    private static List<(string, byte[])> BuildJson()
    {
        var json = new List<(string, byte[])>();
        void Add(string name, string text) => json.Add((name, Encoding.UTF8.GetBytes(text)));

        Add("object order", """{"b":1,"a":2}""");
        Add("white space", " { \"a\" : [ 1 , 2 ] ,\n\t\"b\" : null } ");
        Add("exponent upper", "1E2");
        Add("exponent lower", "1e2");
        Add("exponent signed", "1e+2");
        Add("negative zero", "-0");
        Add("negative zero decimal", "-0.0");
        Add("zero exponent", "0e-400");
        Add("trailing zeros", "1.500");
        Add("huge exponent", "1e100000");
        Add("huge exponent numeric limit", "1e131072");
        Add("double overflow", "1e309");
        Add("double max", "1.7976931348623157e308");
        Add("double underflow", "1e-400");
        Add("double min", "5e-324");
        Add("long decimal 64", "0." + new string('1', 62));
        Add("long decimal 65", "0." + new string('1', 63));
        Add("long decimal 20000", "0." + new string('1', 20_000));
        Add("long integer", new string('9', 64));
        Add("long integer past", new string('9', 65));
        Add("int64 max", "9223372036854775807");
        Add("past int64", "9223372036854775808");
        Add("safe integer", "9007199254740993");
        Add("decimals", """{"half":1.5,"tiny":1e-7,"money":0.1}""");
        Add("duplicate names", """{"a":1,"a":2}""");
        Add("duplicate nested", """{"x":{"a":1,"a":1}}""");
        Add("names differing by normalisation", "{\"\u00E9\":1,\"e\u0301\":2}");
        Add("escaped name equal to plain", """{"a":1,"\u0061":2}""");
        Add("nul escape", "\"a\\u0000b\"");
        Add("nul in name", "{\"a\\u0000\":1}");
        Add("lone high escape", "\"a\\ud800b\"");
        Add("lone low escape", "\"a\\udc00\"");
        Add("escaped pair", "\"\\ud83d\\ude00\"");
        Add("lone surrogate in name", "{\"\\ud800\":1}");
        Add("escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\\u0080\\u2028\\u00e9\\uFEFF\\uffff\"");
        Add("html characters", "\"<script>&'+</script>\"");
        Add("astral raw", "\"😀👨‍👩‍👧‍👦\"");
        Add("combining", "\"e\u0301\u202E\"");
        Add("sql in string", "\"'; DROP TABLE config_entries; --\"");
        Add("empty object", "{}");
        Add("empty array", "[]");
        Add("empty string", "\"\"");
        Add("true", "true");
        Add("null", "null");
        Add("nested 63", new string('[', 63) + new string(']', 63));
        Add("nested 64", new string('[', 64) + new string(']', 64));
        Add("nested 65", new string('[', 65) + new string(']', 65));
        Add("nested 200", new string('[', 200) + new string(']', 200));
        Add("nested objects 64", string.Concat(Enumerable.Repeat("{\"a\":", 63)) + "{}" + new string('}', 63));
        Add("many numbers", "[" + string.Join(",", Enumerable.Repeat("1e2", 2000)) + "]");
        Add("expands in jsonb", "[" + string.Join(",", Enumerable.Repeat("1e300", 300)) + "]");

        // At the 64 KiB audit limit and the 1 MiB config limit, in canonical characters.
        Add("string at 64 KiB", "\"" + new string('x', 64 * 1024 - 2) + "\"");
        Add("string past 64 KiB", "\"" + new string('x', 64 * 1024 - 1) + "\"");
        Add("string at 1 MiB", "\"" + new string('x', 1024 * 1024 - 2) + "\"");
        Add("string past 1 MiB", "\"" + new string('x', 1024 * 1024 - 1) + "\"");
        Add("white space over 1 MiB, small canonical", "[" + new string(' ', 1024 * 1024) + "1]");
        Add("escapes over 64 KiB that shrink under it", "\"" + string.Concat(Enumerable.Repeat("\\u0041", 11_000)) + "\"");
        Add("control escapes past 64 KiB", "\"" + string.Concat(Enumerable.Repeat("\\u0001", 64 * 1024 / 6 + 1)) + "\"");

        // Not valid UTF-8 inside a string (the reader accepts it; reading the string fails).
        json.Add(("invalid utf-8 byte", [(byte)'"', (byte)'a', 0xFF, (byte)'b', (byte)'"']));
        json.Add(("truncated utf-8 sequence", [(byte)'"', 0xE2, 0x82, (byte)'"']));
        json.Add(("encoded surrogate", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"']));
        json.Add(("overlong encoding", [(byte)'{', (byte)'"', 0xC0, 0xAF, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
        return json;
    }

    private static List<string> BuildCursors()
    {
        static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        return
        [
            "",
            "!!!",
            "not a cursor",
            "\0",
            "\uD800",
            Encode(Utf8("users\n\0")),
            Encode(Utf8("users\n" + Guid.NewGuid().ToString("D") + "\0")),
            Encode(Utf8("roles\n\0")),
            Encode(Utf8("roles\nA\0B")),
            Encode(Utf8("config:\n\0")),
            Encode(Utf8("config:\nkey\0")),
            Encode([.. Utf8("roles\n"), 0xFF, 0xFE]),
            Encode([.. Utf8("config:\n"), 0xC0, 0xAF]),
            Encode([.. Utf8("users\n"), 0xED, 0xA0, 0x80]),
            Encode(Utf8("roles")),
            Encode(Utf8("users\nnot-a-guid")),
            Encode(Utf8("roles\n' OR '1'='1")),
            Encode(Utf8("config:\n%")),
            Encode(Utf8("roles\n" + new string('A', 5000))),
        ];
    }
}
