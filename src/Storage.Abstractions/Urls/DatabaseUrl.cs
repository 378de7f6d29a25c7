namespace GatewayStorage;

/// <summary>Helpers for database URLs: the scheme that selects a backend, and a form that is safe to show.</summary>
public static class DatabaseUrl
{
    // Query parameters that hold a secret: the password, and libpq's passphrase of the client key.
    private static readonly string[] SecretParameters = ["password=", "sslpassword="];

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

    /// <summary>
    /// Returns the URL with any password replaced by <c>***</c>, in the user-info part and in
    /// <c>password=</c> and <c>sslpassword=</c> query parameters, so that it can be logged or shown.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <returns>The URL without its password.</returns>
    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "";
        }

        var result = url;
        var authorityStart = result.IndexOf("://", StringComparison.Ordinal);
        if (authorityStart >= 0)
        {
            authorityStart += 3;
            // Only '/' ends the user information, as in libpq: a password may hold an unencoded '?' or '#'.
            var authorityEnd = result.IndexOf('/', authorityStart);
            if (authorityEnd < 0)
            {
                authorityEnd = result.Length;
            }

            var at = result.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
            if (at >= 0)
            {
                var colon = result.IndexOf(':', authorityStart, at - authorityStart);
                if (colon >= 0)
                {
                    result = string.Concat(result.AsSpan(0, colon + 1), Redaction.Mask, result.AsSpan(at));
                }
            }
        }

        var query = result.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var parts = result[(query + 1)..].Split('&');
            for (var i = 0; i < parts.Length; i++)
            {
                foreach (var key in SecretParameters)
                {
                    if (parts[i].StartsWith(key, StringComparison.OrdinalIgnoreCase))
                    {
                        parts[i] = parts[i][..key.Length] + Redaction.Mask;
                    }
                }
            }

            result = string.Concat(result.AsSpan(0, query + 1), string.Join('&', parts));
        }

        return result;
    }
}
