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
    private const string EncodingHint = "Percent-encode special characters in the user name, password and database name ('@' as %40, ':' as %3A, '/' as %2F, '%' as %25).";

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
            AppendEncoded(builder, UserName ?? "", keep: "");
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
                AppendEncoded(builder, host.Host, keep: ":");
                builder.Append(']');
            }
            else
            {
                AppendEncoded(builder, host.Host, keep: "");
            }

            if (host.Port is { } port)
            {
                builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (Database is not null)
        {
            builder.Append('/');
            AppendEncoded(builder, Database, keep: "");
        }

        var separator = '?';
        foreach (var (key, value) in Parameters)
        {
            builder.Append(separator);
            separator = '&';
            AppendEncoded(builder, key, keep: "");
            builder.Append('=');
            if (IsSecretParameter(key))
            {
                builder.Append("***");
            }
            else
            {
                AppendEncoded(builder, value, keep: "");
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
            error = Malformed("it contains a control character (such as a line break); remove it, or percent-encode it.");
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

        var parser = new Parser(uri.AsSpan(scheme.Length + 3));
        if (!parser.TryReadUserInfo() || !parser.TryReadHosts() || !parser.TryReadDatabase() || !parser.TryReadQuery())
        {
            error = parser.Error ?? Malformed("it could not be read.");
            return false;
        }

        if (!TryPairHosts(parser.HostList, parser.PortList, out var hosts, out error))
        {
            return false;
        }

        result = new ConnectionUri(scheme, parser.UserName, parser.Password, hosts, parser.Database, parser.Parameters.AsReadOnly());
        return true;
    }

    // Reads the parts after "scheme://" in order, the way libpq's conninfo_uri_parse_options does.
    private ref struct Parser
    {
        private readonly ReadOnlySpan<char> _text;
        private int _position;
        private char _terminator;

        public Parser(ReadOnlySpan<char> text)
        {
            _text = text;
            Parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        public string? UserName { get; private set; }

        public string? Password { get; private set; }

        public string? Database { get; private set; }

        // Null when not given; a query parameter replaces what the URI's host part gave.
        public List<string>? HostList { get; private set; }

        public List<string>? PortList { get; private set; }

        public Dictionary<string, string> Parameters { get; }

        public string? Error { get; private set; }

        // User information: up to the last '@' before the path. libpq stops at the first '@'; taking the last
        // one also accepts a password with an unencoded '@', and changes nothing for a well-formed URI.
        public bool TryReadUserInfo()
        {
            var slash = _text.IndexOf('/');
            var at = (slash < 0 ? _text : _text[..slash]).LastIndexOf('@');
            if (at < 0)
            {
                return true;
            }

            var userInfo = _text[..at];
            var colon = userInfo.IndexOf(':');
            if (!TryDecode(colon < 0 ? userInfo : userInfo[..colon], out var userName))
            {
                return Fail("the user name has an invalid percent escape. " + EncodingHint);
            }

            UserName = NullIfEmpty(userName);
            if (colon >= 0)
            {
                if (!TryDecode(userInfo[(colon + 1)..], out var password))
                {
                    return Fail("the password has an invalid percent escape. " + EncodingHint);
                }

                Password = NullIfEmpty(password);
            }

            _position = at + 1;
            return true;
        }

        // Hosts: host[:port] or [ipv6][:port], separated by commas, ended by '/', '?' or the end.
        public bool TryReadHosts()
        {
            var hosts = new List<string>();
            var ports = new List<string>();
            while (true)
            {
                var number = hosts.Count + 1;
                if (!TryReadHost(number, out var host))
                {
                    return false;
                }

                _terminator = Current;
                var port = "";
                if (_terminator == ':')
                {
                    var start = ++_position;
                    SkipUntil("/?,");
                    if (!TryDecode(_text[start.._position], out port))
                    {
                        return Fail($"the port of host {number} has an invalid percent escape.");
                    }

                    _terminator = Current;
                }

                hosts.Add(host);
                ports.Add(port);
                if (_terminator != ',')
                {
                    break;
                }

                _position++;
            }

            // As in libpq, a lone empty host or port means "not given", not "given as empty".
            HostList = hosts is [""] ? null : hosts;
            PortList = ports is [""] ? null : ports;
            return true;
        }

        public bool TryReadDatabase()
        {
            if (_terminator != '/')
            {
                return true;
            }

            var start = ++_position;
            SkipUntil("?");
            if (!TryDecode(_text[start.._position], out var database))
            {
                return Fail("the database name has an invalid percent escape. " + EncodingHint);
            }

            Database = NullIfEmpty(database);
            _terminator = Current;
            return true;
        }

        // key=value pairs separated by '&'; one trailing '&' is allowed, an empty pair is not (as in libpq).
        public bool TryReadQuery()
        {
            if (_terminator != '?')
            {
                return true;
            }

            var query = _text[(_position + 1)..];
            var number = 0;
            while (!query.IsEmpty)
            {
                number++;
                var ampersand = query.IndexOf('&');
                var pair = ampersand < 0 ? query : query[..ampersand];
                query = ampersand < 0 ? default : query[(ampersand + 1)..];

                var equals = pair.IndexOf('=');
                if (equals < 0)
                {
                    return Fail($"query parameter {number} has no '='; write key=value pairs separated by '&'.");
                }

                if (!TryDecode(pair[..equals], out var key) || key.Length == 0)
                {
                    return Fail($"query parameter {number} has an empty or invalid name.");
                }

                var valueText = pair[(equals + 1)..];
                if (valueText.Contains('='))
                {
                    return Fail($"the value of query parameter '{key}' contains '='; percent-encode it as %3D.");
                }

                if (!TryDecode(valueText, out var value))
                {
                    return Fail($"the value of query parameter '{key}' has an invalid percent escape ('%' must be followed by two hex digits; write '%' itself as %25).");
                }

                Apply(key, value);
            }

            return true;
        }

        private readonly char Current => _position < _text.Length ? _text[_position] : '\0';

        private bool TryReadHost(int number, [NotNullWhen(true)] out string? host)
        {
            host = null;
            ReadOnlySpan<char> text;
            if (Current == '[')
            {
                var close = _text[(_position + 1)..].IndexOf(']');
                if (close < 0)
                {
                    return Fail($"host {number} starts with '[' but has no matching ']'. Write an IPv6 address as [2001:db8::1]:5432.");
                }

                text = _text.Slice(_position + 1, close);
                if (text.IsEmpty)
                {
                    return Fail($"host {number} is an empty IPv6 address '[]'.");
                }

                _position += close + 2;
                if (Current is not (':' or '/' or '?' or ',' or '\0'))
                {
                    return Fail($"host {number} has characters after its closing ']'; expected ':port', ',', '/' or '?'.");
                }
            }
            else
            {
                var start = _position;
                SkipUntil(":/?,");
                text = _text[start.._position];
                if (text.ContainsAny('[', ']'))
                {
                    return Fail($"host {number} contains '[' or ']'; only an IPv6 address is written in brackets, as in [2001:db8::1]:5432.");
                }
            }

            return TryDecode(text, out host)
                || Fail($"host {number} has an invalid percent escape ('%' must be followed by two hex digits, as in %2Fvar%2Frun%2Fpostgresql).");
        }

        private void Apply(string key, string value)
        {
            switch (key)
            {
                case "host":
                    HostList = [.. value.Split(',')];
                    break;
                case "port":
                    PortList = [.. value.Split(',')];
                    break;
                case "user":
                    UserName = NullIfEmpty(value);
                    break;
                case "password":
                    Password = NullIfEmpty(value);
                    break;
                case "dbname":
                    Database = NullIfEmpty(value);
                    break;
                default:
                    Parameters[key] = value;
                    break;
            }
        }

        private void SkipUntil(string stops)
        {
            var next = _text[_position..].IndexOfAny(stops);
            _position = next < 0 ? _text.Length : _position + next;
        }

        private bool Fail(string detail)
        {
            Error = Malformed(detail);
            return false;
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
    }

    private static bool TryPairHosts(
        List<string>? hostList,
        List<string>? portList,
        [NotNullWhen(true)] out IReadOnlyList<ConnectionUriHost>? hosts,
        [NotNullWhen(false)] out string? error)
    {
        hosts = null;
        var names = hostList ?? [""];
        var ports = portList ?? [""];
        if (ports.Count != 1 && ports.Count != names.Count)
        {
            error = Malformed($"it gives {ports.Count} ports for {names.Count} hosts; give one port for all hosts, or one per host.");
            return false;
        }

        var result = new ConnectionUriHost[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var portText = ports.Count == 1 ? ports[0] : ports[i];
            int? port = null;
            if (portText.Length > 0)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 65535)
                {
                    error = Malformed($"the port of host {i + 1} is not a number from 1 to 65535.");
                    return false;
                }

                port = value;
            }

            result[i] = new ConnectionUriHost(names[i], port);
        }

        error = null;
        hosts = result is [{ Host: "", Port: null }] ? [] : result.AsReadOnly();
        return true;
    }

    private static string Malformed(string detail) => $"The PostgreSQL URL is malformed: {detail}";

    // libpq's rules: '%' and two hex digits, never %00; '+' stays '+'. The bytes must form valid UTF-8.
    private static bool TryDecode(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? value)
    {
        if (!text.Contains('%'))
        {
            value = text.ToString();
            return true;
        }

        value = null;
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    return false;
                }

                var decoded = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                if (decoded == 0)
                {
                    return false;
                }

                bytes[length++] = decoded;
                i += 3;
            }
            else
            {
                var next = text[i..].IndexOf('%');
                var run = next < 0 ? text[i..] : text.Slice(i, next);
                length += Encoding.UTF8.GetBytes(run, bytes.AsSpan(length));
                i += run.Length;
            }
        }

        var span = bytes.AsSpan(0, length);
        if (!Utf8.IsValid(span))
        {
            return false;
        }

        value = Encoding.UTF8.GetString(span);
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    // Keeps RFC 3986 unreserved characters (and those in keep); percent-encodes the UTF-8 bytes of the rest.
    private static void AppendEncoded(StringBuilder builder, string value, string keep)
    {
        Span<byte> buffer = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || keep.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
                continue;
            }

            var charCount = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var written = Encoding.UTF8.GetBytes(value.AsSpan(i, charCount), buffer);
            for (var b = 0; b < written; b++)
            {
                builder.Append('%').Append(buffer[b].ToString("X2", CultureInfo.InvariantCulture));
            }

            i += charCount - 1;
        }
    }
}
