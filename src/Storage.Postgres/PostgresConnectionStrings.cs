using System.Globalization;
using System.Text;
using Npgsql;

namespace GatewayStorage.Postgres;

/// <summary>Turns a libpq connection URI into Npgsql connection settings.</summary>
internal static class PostgresConnectionStrings
{
    private const string DefaultHost = "localhost";
    private const int DefaultPort = 5432;

    // Npgsql refuses a longer connection timeout.
    private const int MaxConnectTimeoutSeconds = 1024;

    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.Ordinal)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    private static readonly string[] TargetSessionAttributes =
        ["any", "read-write", "read-only", "primary", "standby", "prefer-standby"];

    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Setters = new(StringComparer.Ordinal)
    {
        ["sslmode"] = static (b, v) => b.SslMode = ParseSslMode(v),
        // libpq's JDBC compatibility: ssl=true means sslmode=require.
        ["ssl"] = static (b, v) => b.SslMode = v == "true"
            ? SslMode.Require
            : throw Invalid("ssl", v, "the only value libpq accepts is 'true' (the same as sslmode=require)"),
        ["application_name"] = static (b, v) => b.ApplicationName = v,
        ["connect_timeout"] = static (b, v) => b.Timeout = ParseConnectTimeout(v),
        ["target_session_attrs"] = static (b, v) => b.TargetSessionAttributes = ParseTargetSessionAttributes(v),
        ["options"] = static (b, v) => b.Options = v,
        ["sslcert"] = static (b, v) => b.SslCertificate = v,
        ["sslkey"] = static (b, v) => b.SslKey = v,
        ["sslrootcert"] = static (b, v) => b.RootCertificate = v,
        ["sslpassword"] = static (b, v) => b.SslPassword = v,
        ["keepalives_idle"] = static (b, v) => b.TcpKeepAliveTime = ParseSeconds("keepalives_idle", v),
        ["client_encoding"] = static (b, v) => b.ClientEncoding = v,
    };

    // Folded into the URI's parts by ConnectionUri, so never seen in Parameters, but supported all the same.
    private static readonly string[] PartParameters = ["dbname", "host", "password", "port", "user"];

    private static readonly string SupportedText =
        string.Join(", ", Setters.Keys.Concat(PartParameters).Concat(PostgresScaleSettings.Parameters).Order(StringComparer.Ordinal));

    /// <summary>
    /// Parses a <c>postgresql://</c> or <c>postgres://</c> URL and maps it to Npgsql settings: hosts (with their
    /// ports), user name, password, database and the supported query parameters. A URL without a host means
    /// <c>localhost</c>; without a port, 5432 (libpq's defaults). Pooling and preparation are left as they are.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="StorageConfigurationException">
    /// The URL is malformed, has a query parameter this library does not support, or a value that is not valid
    /// for its parameter. The message names the parameter; it never contains the password.
    /// </exception>
    public static NpgsqlConnectionStringBuilder FromUrl(string url) => Apply(url, new NpgsqlConnectionStringBuilder());

    /// <summary>Parses a URL as <see cref="FromUrl"/> does, into the settings of <paramref name="builder"/>.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="builder">The settings to fill, for example an <see cref="NpgsqlDataSourceBuilder"/>'s.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static NpgsqlConnectionStringBuilder Apply(string url, NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Apply(ConnectionUri.Parse(url), builder);
    }

    /// <summary>Maps a parsed URL as <see cref="FromUrl"/> does, into the settings of <paramref name="builder"/>.</summary>
    /// <param name="uri">The parsed URL.</param>
    /// <param name="builder">The settings to fill.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static NpgsqlConnectionStringBuilder Apply(ConnectionUri uri, NpgsqlConnectionStringBuilder builder)
    {
        SetHosts(builder, uri.Hosts);

        if (uri.UserName is not null)
        {
            builder.Username = uri.UserName;
        }

        if (uri.Password is not null)
        {
            builder.Password = uri.Password;
        }

        if (uri.Database is not null)
        {
            builder.Database = uri.Database;
        }

        foreach (var (key, value) in uri.Parameters)
        {
            if (PostgresScaleSettings.Parameters.Contains(key))
            {
                // The library's own settings (pooler, read_from): read by PostgresScaleSettings, not Npgsql's.
                continue;
            }

            if (!Setters.TryGetValue(key, out var set))
            {
                throw new StorageConfigurationException(
                    $"The PostgreSQL URL has the query parameter '{key}', which GatewayStorage does not support. Supported parameters: {SupportedText}.");
            }

            set(builder, value);
        }

        return builder;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, IReadOnlyList<ConnectionUriHost> hosts)
    {
        if (hosts.Count <= 1)
        {
            var host = hosts.Count == 0 ? default : hosts[0];
            builder.Host = string.IsNullOrEmpty(host.Host) ? DefaultHost : host.Host;
            builder.Port = host.Port ?? DefaultPort;
            return;
        }

        // Npgsql reads per-host ports from Host ("host1:123,host2:456"); a host without one uses Port.
        var text = new StringBuilder();
        foreach (var host in hosts)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            var name = string.IsNullOrEmpty(host.Host) ? DefaultHost : host.Host;
            if (host.Port is not { } port)
            {
                // Npgsql leaves a bare IPv6 address unsplit, since it has more than one ':'.
                text.Append(name);
            }
            else if (name.Contains(':', StringComparison.Ordinal) && !name.StartsWith('/'))
            {
                text.Append('[').Append(name).Append("]:").Append(port.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(name).Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        builder.Host = text.ToString();
        builder.Port = DefaultPort;
    }

    private static SslMode ParseSslMode(string value) =>
        SslModes.TryGetValue(value, out var mode)
            ? mode
            : throw Invalid("sslmode", value, "use one of " + string.Join(", ", SslModes.Keys));

    private static string ParseTargetSessionAttributes(string value) =>
        TargetSessionAttributes.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Invalid("target_session_attrs", value, "use one of " + string.Join(", ", TargetSessionAttributes));

    // libpq: zero or negative waits forever, and the shortest timeout is 2 seconds. Npgsql: 0 waits forever.
    private static int ParseConnectTimeout(string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            throw Invalid("connect_timeout", value, "use a whole number of seconds");
        }

        return seconds switch
        {
            <= 0 => 0,
            1 => 2,
            > MaxConnectTimeoutSeconds => throw Invalid("connect_timeout", value, $"the longest timeout is {MaxConnectTimeoutSeconds} seconds"),
            _ => seconds,
        };
    }

    private static int ParseSeconds(string parameter, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw Invalid(parameter, value, "use a whole number of seconds, 0 or more");

    /// <summary>The error for a query parameter whose value is not valid, naming the parameter and what to write instead.</summary>
    internal static StorageConfigurationException Invalid(string parameter, string value, string advice) =>
        new($"The PostgreSQL URL query parameter '{parameter}' has the value '{value}', which is not valid: {advice}.");
}
