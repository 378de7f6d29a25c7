using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>The JSON rules shared by config values and audit details: a defined value, bounded size, no NUL in any string.</summary>
internal static class JsonText
{
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

        // PostgreSQL's jsonb refuses \u0000; refuse it on every engine so that both behave the same.
        if (ContainsNul(value))
        {
            throw new ArgumentException("The JSON value must not contain NUL characters (\\u0000).", paramName);
        }

        return text;
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static bool ContainsNul(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString()!.Contains('\0', StringComparison.Ordinal);
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (ContainsNul(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name.Contains('\0', StringComparison.Ordinal) || ContainsNul(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
