namespace GatewayStorage.Relational;

/// <summary>
/// The scopes of an API key or an OAuth grant, stored space-separated. Scopes are case-sensitive tokens whose order
/// does not matter (RFC 6749 §3.3): each 1 to 200 characters without white space or control characters, at most 100,
/// duplicates dropped, kept in ordinal order so that both engines and every caller see the same list.
/// </summary>
internal static class ScopeSet
{
    public const int MaxCount = 100;
    public const int MaxLength = 200;

    public static string[] Validate(IEnumerable<string>? scopes, string paramName)
    {
        if (scopes is null)
        {
            return [];
        }

        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            if (string.IsNullOrEmpty(scope) || scope.Length > MaxLength)
            {
                throw new ArgumentException($"A scope must be 1 to {MaxLength} characters long.", paramName);
            }

            Check.Storable(scope, paramName);
            foreach (var c in scope)
            {
                // Scopes are stored space-separated: a space inside one would split it in two when read back.
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    throw new ArgumentException($"A scope must not contain white space or control characters (found U+{(int)c:X4}).", paramName);
                }
            }

            result.Add(scope);
            if (result.Count > MaxCount)
            {
                throw new ArgumentException($"At most {MaxCount} scopes are allowed.", paramName);
            }
        }

        return [.. result];
    }

    public static string Join(IReadOnlyList<string> scopes) => string.Join(' ', scopes);

    public static string[] Split(string stored) =>
        stored.Length == 0 ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
