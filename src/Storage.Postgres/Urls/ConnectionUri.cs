using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace GatewayStorage.Postgres;

/// <summary>
/// A PostgreSQL connection URI in libpq form:
/// <c>postgresql://[user[:password]@][host[:port][,host[:port]…]][/dbname][?key=value&amp;…]</c>, with the scheme
/// <c>postgresql</c> or <c>postgres</c> in any case. User name, password, hosts, database name and query
/// parameters are percent-decoded. As in libpq, a <c>host</c>, <c>port</c>, <c>user</c>, <c>password</c> or
/// <c>dbname</c> query parameter overrides the corresponding part of the URI
/// (<c>postgresql:///mydb?host=localhost&amp;port=5433</c>, <c>postgresql:///mydb?host=/var/lib/postgresql</c>).
/// </summary>
/// <remarks>
/// The user information ends at the last <c>@</c> before the first <c>/</c>, so a password containing an
/// unencoded <c>@</c>, <c>:</c>, <c>?</c> or <c>#</c> still parses; <c>/</c>, <c>&amp;</c> and <c>=</c> in a
/// password must be percent-encoded (<c>%2F</c>, <c>%26</c>, <c>%3D</c>). Error messages never repeat the URI
/// or any part of it that may hold the password.
/// </remarks>
internal sealed class ConnectionUri
{
    private const string Example = "postgresql://user:password@host:5432/database";

    private ConnectionUri(
        string scheme,
        string? userName,
        string? password,
        IReadOnlyList<ConnectionUriHost> hosts,
        string? database,
        IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        UserName = userName;
        Password = password;
        Hosts = hosts;
        Database = database;
        Parameters = parameters;
    }

    /// <summary>The scheme in lower case: <c>postgresql</c> or <c>postgres</c>.</summary>
    public string Scheme { get; }

    /// <summary>The percent-decoded user name, or <see langword="null"/> when the URI has none.</summary>
    public string? UserName { get; }

    /// <summary>The percent-decoded password, or <see langword="null"/> when the URI has none. Never log it.</summary>
    public string? Password { get; }

    /// <summary>
    /// The hosts in the order given, each with its port when one is given; empty when the URI names no host and
    /// no port (libpq then uses its default host and port 5432). A port given once for several hosts (in a
    /// <c>port</c> query parameter) applies to every host.
    /// </summary>
    public IReadOnlyList<ConnectionUriHost> Hosts { get; }

    /// <summary>The percent-decoded database name, or <see langword="null"/> when the URI has none.</summary>
    public string? Database { get; }

    /// <summary>
    /// The percent-decoded query parameters other than <c>host</c>, <c>port</c>, <c>user</c>, <c>password</c> and
    /// <c>dbname</c> (which set <see cref="Hosts"/>, <see cref="UserName"/>, <see cref="Password"/> and
    /// <see cref="Database"/>). Keys are case-sensitive, as in libpq; a key given twice keeps its last value.
    /// </summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Parses a libpq connection URI.</summary>
    /// <param name="uri">The URI, for example <c>postgresql://user:secret@localhost:5432/mydb?sslmode=require</c>.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageConfigurationException">
    /// The URI is empty, has another scheme, or is malformed (an unterminated <c>[</c>, a port that is not a
    /// number from 1 to 65535, an invalid percent escape, a query parameter without <c>=</c>, …). The message says
    /// which part is wrong; it never contains the URI or its password.
    /// </exception>
    public static ConnectionUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return TryParseCore(uri, out var result, out var error)
            ? result
            : throw new StorageConfigurationException(error);
    }

    /// <summary>Tries to parse a libpq connection URI.</summary>
    /// <param name="uri">The URI.</param>
    /// <param name="result">The parsed URI, when it is valid.</param>
    /// <returns>Whether <paramref name="uri"/> is a valid PostgreSQL connection URI.</returns>
    public static bool TryParse([NotNullWhen(true)] string? uri, [NotNullWhen(true)] out ConnectionUri? result)
    {
        if (uri is null)
        {
            result = null;
            return false;
        }

        return TryParseCore(uri, out result, out _);
    }

    /// <summary>
    /// Returns the URI with the password (and any <c>sslpassword</c> parameter) replaced by <c>***</c>, so that it
    /// can be logged or shown. Parts are percent-encoded again; query parameters that override parts of the URI
    /// appear in those parts.
    /// </summary>
    /// <returns>The URI without its secrets.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme).Append("://");
        if (UserName is not null || Password is not null)
        {
            PercentEncoding.AppendEncoded(builder, UserName ?? "", keep: "");
            if (Password is not null)
            {
                builder.Append(':').Append("***");
            }

            builder.Append('@');
        }

        for (var i = 0; i < Hosts.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            var host = Hosts[i];
            if (host.Host.Contains(':', StringComparison.Ordinal) && !host.Host.StartsWith('/'))
            {
                builder.Append('[');
                PercentEncoding.AppendEncoded(builder, host.Host, keep: ":");
                builder.Append(']');
            }
            else
            {
                PercentEncoding.AppendEncoded(builder, host.Host, keep: "");
            }

            if (host.Port is { } port)
            {
                builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Database is not null)
        {
            builder.Append('/');
            PercentEncoding.AppendEncoded(builder, Database, keep: "");
        }

        var separator = '?';
        foreach (var (key, value) in Parameters)
        {
            builder.Append(separator);
            separator = '&';
            PercentEncoding.AppendEncoded(builder, key, keep: "");
            builder.Append('=');
            if (IsSecretParameter(key))
            {
                builder.Append("***");
            }
            else
            {
                PercentEncoding.AppendEncoded(builder, value, keep: "");
            }
        }

        return builder.ToString();
    }

    private static bool IsSecretParameter(string key) => key is "password" or "sslpassword";

    private static bool TryParseCore(string uri, [NotNullWhen(true)] out ConnectionUri? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(uri))
        {
            error = $"The PostgreSQL URL is empty. Use the form '{Example}'.";
            return false;
        }

        if (uri.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || uri.Contains('\u007f', StringComparison.Ordinal))
        {
            // Usually a line break copied in from a secret file; it would end up in a host or database name.
            error = ConnectionUriParser.Malformed("it contains a control character (such as a line break); remove it, or percent-encode it.");
            return false;
        }

        string scheme;
        if (uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "postgresql";
        }
        else if (uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "postgres";
        }
        else
        {
            // The scheme is the text before the first ':', which cannot hold a password.
            var found = DatabaseUrl.TryGetScheme(uri, out var other) ? $" This one starts with '{other}:'." : "";
            error = $"A PostgreSQL URL starts with 'postgresql://' or 'postgres://', as in '{Example}'.{found}";
            return false;
        }

        var parser = new ConnectionUriParser(uri.AsSpan(scheme.Length + 3));
        if (!parser.TryReadUserInfo() || !parser.TryReadHosts() || !parser.TryReadDatabase() || !parser.TryReadQuery())
        {
            error = parser.Error ?? ConnectionUriParser.Malformed("it could not be read.");
            return false;
        }

        if (!ConnectionUriParser.TryPairHosts(parser.HostList, parser.PortList, out var hosts, out error))
        {
            return false;
        }

        result = new ConnectionUri(scheme, parser.UserName, parser.Password, hosts, parser.Database, parser.Parameters.AsReadOnly());
        return true;
    }


}
