using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace GatewayStorage.Postgres;

/// <summary>
/// Reads the parts of a <see cref="ConnectionUri"/> after <c>scheme://</c> in order, the way libpq's
/// <c>conninfo_uri_parse_options</c> does, and pairs the hosts with their ports.
/// </summary>
internal ref struct ConnectionUriParser
{
    public const string EncodingHint = "Percent-encode special characters in the user name, password and database name ('@' as %40, ':' as %3A, '/' as %2F, '%' as %25).";

    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private char _terminator;

    public ConnectionUriParser(ReadOnlySpan<char> text)
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
        if (!PercentEncoding.TryDecode(colon < 0 ? userInfo : userInfo[..colon], out var userName))
        {
            return Fail("the user name has an invalid percent escape. " + EncodingHint);
        }

        UserName = NullIfEmpty(userName);
        if (colon >= 0)
        {
            if (!PercentEncoding.TryDecode(userInfo[(colon + 1)..], out var password))
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
                if (!PercentEncoding.TryDecode(_text[start.._position], out port))
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
        if (!PercentEncoding.TryDecode(_text[start.._position], out var database))
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

            if (!PercentEncoding.TryDecode(pair[..equals], out var key) || key.Length == 0)
            {
                return Fail($"query parameter {number} has an empty or invalid name.");
            }

            var valueText = pair[(equals + 1)..];
            if (valueText.Contains('='))
            {
                return Fail($"the value of query parameter '{key}' contains '='; percent-encode it as %3D.");
            }

            if (!PercentEncoding.TryDecode(valueText, out var value))
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

        return PercentEncoding.TryDecode(text, out host)
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

    public static bool TryPairHosts(
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

    public static string Malformed(string detail) => $"The PostgreSQL URL is malformed: {detail}";
}
