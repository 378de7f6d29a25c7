using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>
/// The JSON rules shared by config values and audit details, so that both engines store and return the same
/// document: a defined value, bounded size and depth, no NUL and no unpaired surrogate in any string, no
/// duplicate property names (PostgreSQL's jsonb would silently keep the last one; SQLite would keep both).
/// </summary>
internal static class JsonText
{
    /// <summary>The deepest nesting a value may have: what <see cref="JsonDocument"/> reads back by default.</summary>
    public const int MaxDepth = 64;

    public static string Serialize(JsonElement value, string paramName, int maxLength)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The JSON value is undefined (default(JsonElement)).", paramName);
        }

        var text = value.GetRawText();
        if (text.Length > maxLength)
        {
            throw new ArgumentException($"The JSON value is {text.Length} characters long; at most {maxLength} are allowed.", paramName);
        }

        try
        {
            Validate(value, depth: 1, paramName);
        }
        catch (InvalidOperationException ex)
        {
            // GetString() refuses strings that are not valid UTF-16 (an unpaired surrogate escape).
            throw new ArgumentException("The JSON value contains a string with an unpaired surrogate.", paramName, ex);
        }

        return text;
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void Validate(JsonElement value, int depth, string paramName)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                CheckString(value.GetString()!, paramName);
                break;
            case JsonValueKind.Array:
                CheckDepth(depth, paramName);
                foreach (var item in value.EnumerateArray())
                {
                    Validate(item, depth + 1, paramName);
                }

                break;
            case JsonValueKind.Object:
                CheckDepth(depth, paramName);
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    CheckString(property.Name, paramName);
                    if (!names.Add(property.Name))
                    {
                        throw new ArgumentException($"The JSON value has the property '{property.Name}' twice.", paramName);
                    }

                    Validate(property.Value, depth + 1, paramName);
                }

                break;
        }
    }

    private static void CheckDepth(int depth, string paramName)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"The JSON value is nested more than {MaxDepth} levels deep.", paramName);
        }
    }

    private static void CheckString(string value, string paramName)
    {
        // PostgreSQL's jsonb refuses \u0000; refuse it on every engine so that both behave the same.
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The JSON value must not contain NUL characters (\\u0000).", paramName);
        }
    }
}
