namespace GatewayStorage.Postgres;

/// <summary>Shows a PostgreSQL URL without its secrets.</summary>
internal static class PostgresUrlRedaction
{
    private const string Mask = "***";

    // Query parameters that hold a secret: the password, and libpq's passphrase of the client key.
    private static readonly string[] SecretParameters = ["password=", "sslpassword="];

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
                    result = string.Concat(result.AsSpan(0, colon + 1), Mask, result.AsSpan(at));
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
                        parts[i] = parts[i][..key.Length] + Mask;
                    }
                }
            }

            result = string.Concat(result.AsSpan(0, query + 1), string.Join('&', parts));
        }

        return result;
    }
}
