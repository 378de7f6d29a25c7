namespace GatewayStorage;

/// <summary>Reads the scheme of a database URL, which selects the backend; the backend parses the rest.</summary>
internal static class DatabaseUrl
{
    /// <summary>Gets the lower-case scheme of a URL (<c>sqlite</c>, <c>postgres</c>, <c>postgresql</c>, …).</summary>
    /// <param name="url">The URL.</param>
    /// <param name="scheme">The scheme, when the URL has one.</param>
    /// <returns>Whether the URL starts with a scheme (letters, digits, <c>+ - .</c>, then <c>:</c>).</returns>
    public static bool TryGetScheme(string? url, out string scheme)
    {
        scheme = "";
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(url[0]))
        {
            return false;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = url[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        scheme = url[..colon].ToLowerInvariant();
        return true;
    }
}
