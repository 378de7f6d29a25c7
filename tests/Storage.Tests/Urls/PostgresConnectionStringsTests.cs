using GatewayStorage.Postgres;
using Npgsql;

namespace GatewayStorage.Tests.Urls;

public sealed class PostgresConnectionStringsTests
{
    [Fact]
    public void FromUrl_maps_user_password_host_port_and_database()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://gateway:p%40ss%3Aw%2Fd@db.example.com:5433/gatewaydb");

        Assert.Equal("gateway", builder.Username);
        Assert.Equal("p@ss:w/d", builder.Password);
        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("gatewaydb", builder.Database);
    }

    [Fact]
    public void FromUrl_uses_the_libpq_defaults_for_host_and_port_and_leaves_user_and_database_unset()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgres://");

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Null(builder.Username);
        Assert.Null(builder.Database);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void FromUrl_maps_host_and_port_query_parameters()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql:///mydb?host=localhost&port=5433");

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("mydb", builder.Database);
    }

    [Fact]
    public void FromUrl_maps_user_password_and_dbname_query_parameters()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://localhost?user=app&password=s%26cret&dbname=appdb");

        Assert.Equal("app", builder.Username);
        Assert.Equal("s&cret", builder.Password);
        Assert.Equal("appdb", builder.Database);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void FromUrl_maps_sslmode(string value, SslMode expected)
    {
        var builder = PostgresConnectionStrings.FromUrl($"postgresql://localhost/db?sslmode={value}");

        Assert.Equal(expected, builder.SslMode);
    }

    [Fact]
    public void FromUrl_maps_ssl_true_to_sslmode_require_as_libpq_does()
    {
        Assert.Equal(SslMode.Require, PostgresConnectionStrings.FromUrl("postgresql://localhost/db?ssl=true").SslMode);
    }

    [Fact]
    public void FromUrl_maps_application_name_and_connect_timeout()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp");

        Assert.Equal("myapp", builder.ApplicationName);
        Assert.Equal(10, builder.Timeout);
        Assert.Equal("other", builder.Username);
        Assert.Equal("otherdb", builder.Database);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-5", 0)]
    [InlineData("1", 2)]
    [InlineData("1024", 1024)]
    public void FromUrl_maps_connect_timeout_with_the_libpq_rules(string value, int expected)
    {
        Assert.Equal(expected, PostgresConnectionStrings.FromUrl($"postgresql://localhost?connect_timeout={value}").Timeout);
    }

    [Fact]
    public void FromUrl_maps_the_remaining_supported_parameters()
    {
        var builder = PostgresConnectionStrings.FromUrl(
            "postgresql://localhost/db?target_session_attrs=read-write&options=-c%20search_path%3Dgateway"
            + "&sslcert=%2Fcerts%2Fclient.crt&sslkey=%2Fcerts%2Fclient.key&sslrootcert=%2Fcerts%2Froot.crt"
            + "&sslpassword=k3y&keepalives_idle=30&client_encoding=UTF8");

        Assert.Equal("read-write", builder.TargetSessionAttributes);
        Assert.Equal("-c search_path=gateway", builder.Options);
        Assert.Equal("/certs/client.crt", builder.SslCertificate);
        Assert.Equal("/certs/client.key", builder.SslKey);
        Assert.Equal("/certs/root.crt", builder.RootCertificate);
        Assert.Equal("k3y", builder.SslPassword);
        Assert.Equal(30, builder.TcpKeepAliveTime);
        Assert.Equal("UTF8", builder.ClientEncoding);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("read-write")]
    [InlineData("read-only")]
    [InlineData("primary")]
    [InlineData("standby")]
    [InlineData("prefer-standby")]
    public void FromUrl_maps_every_libpq_target_session_attrs_value(string value)
    {
        Assert.Equal(value, PostgresConnectionStrings.FromUrl($"postgresql://h1,h2?target_session_attrs={value}").TargetSessionAttributes);
    }

    [Fact]
    public void FromUrl_puts_several_hosts_with_their_ports_in_Host()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp");

        Assert.Equal("host1:123,host2:456", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("somedb", builder.Database);
        Assert.Equal("any", builder.TargetSessionAttributes);
    }

    [Fact]
    public void FromUrl_leaves_a_host_without_its_own_port_on_the_default_port()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://host1:123,host2,:7/db");

        Assert.Equal("host1:123,host2,localhost:7", builder.Host);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void FromUrl_maps_an_IPv6_host_without_brackets_and_its_port_to_Port()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://[2001:db8::1234]:5433/database");

        Assert.Equal("2001:db8::1234", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("database", builder.Database);
    }

    [Fact]
    public void FromUrl_brackets_IPv6_hosts_with_ports_in_a_host_list()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://[2001:db8::1]:5433,[2001:db8::2]/db");

        Assert.Equal("[2001:db8::1]:5433,2001:db8::2", builder.Host);
    }

    [Fact]
    public void FromUrl_maps_a_Unix_socket_directory()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://%2Fvar%2Flib%2Fpostgresql/dbname");

        Assert.Equal("/var/lib/postgresql", builder.Host);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void FromUrl_leaves_pooling_and_preparation_settings_at_Npgsql_defaults()
    {
        var defaults = new NpgsqlConnectionStringBuilder();

        var builder = PostgresConnectionStrings.FromUrl("postgresql://u:p@h/db?sslmode=require");

        Assert.Equal(defaults.Pooling, builder.Pooling);
        Assert.Equal(defaults.MaxPoolSize, builder.MaxPoolSize);
        Assert.Equal(defaults.MaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.Equal(defaults.NoResetOnClose, builder.NoResetOnClose);
    }

    [Fact]
    public void FromUrl_rejects_an_unknown_parameter_naming_it_and_the_supported_ones_without_the_password()
    {
        var exception = Assert.Throws<StorageConfigurationException>(
            () => PostgresConnectionStrings.FromUrl("postgresql://u:hunter2@h/db?password=hunter2&sslpassword=hunter2&statement_timeout=5"));

        Assert.Contains("'statement_timeout'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("sslmode", exception.Message, StringComparison.Ordinal);
        Assert.Contains("application_name", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sslmode=required", "'sslmode'")]
    [InlineData("sslmode=REQUIRE", "'sslmode'")]
    [InlineData("ssl=false", "'ssl'")]
    [InlineData("connect_timeout=ten", "'connect_timeout'")]
    [InlineData("connect_timeout=5000", "'connect_timeout'")]
    [InlineData("target_session_attrs=master", "'target_session_attrs'")]
    [InlineData("keepalives_idle=-1", "'keepalives_idle'")]
    public void FromUrl_rejects_an_invalid_value_naming_the_parameter_without_the_password(string query, string expected)
    {
        var exception = Assert.Throws<StorageConfigurationException>(
            () => PostgresConnectionStrings.FromUrl($"postgresql://u:hunter2@h/db?sslpassword=hunter2&{query}"));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromUrl_rejects_a_malformed_URL_without_the_password()
    {
        var exception = Assert.Throws<StorageConfigurationException>(
            () => PostgresConnectionStrings.FromUrl("postgresql://u:hunter2@localhost:99999/db"));

        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromUrl_produces_settings_Npgsql_accepts()
    {
        var builder = PostgresConnectionStrings.FromUrl("postgresql://u:p%3Bq@[::1]:5433,host2/db?sslmode=verify-full&application_name=a%3Bb");

        var reparsed = new NpgsqlConnectionStringBuilder(builder.ConnectionString);

        Assert.Equal("p;q", reparsed.Password);
        Assert.Equal("a;b", reparsed.ApplicationName);
        Assert.Equal("[::1]:5433,host2", reparsed.Host);
        Assert.Equal(SslMode.VerifyFull, reparsed.SslMode);
    }
}
