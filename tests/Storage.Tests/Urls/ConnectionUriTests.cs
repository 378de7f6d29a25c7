using GatewayStorage.Postgres;
namespace GatewayStorage.Tests.Urls;

public sealed class ConnectionUriTests
{
    // The examples of https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS.

    [Fact]
    public void Parse_accepts_a_bare_scheme_with_every_part_left_to_the_defaults()
    {
        var uri = ConnectionUri.Parse("postgresql://");

        Assert.Equal("postgresql", uri.Scheme);
        Assert.Null(uri.UserName);
        Assert.Null(uri.Password);
        Assert.Empty(uri.Hosts);
        Assert.Null(uri.Database);
        Assert.Empty(uri.Parameters);
    }

    [Fact]
    public void Parse_reads_a_host_without_a_port()
    {
        var uri = ConnectionUri.Parse("postgresql://localhost");

        Assert.Equal([new ConnectionUriHost("localhost", null)], uri.Hosts);
        Assert.Null(uri.Database);
    }

    [Fact]
    public void Parse_reads_a_host_with_a_port()
    {
        var uri = ConnectionUri.Parse("postgresql://localhost:5433");

        Assert.Equal([new ConnectionUriHost("localhost", 5433)], uri.Hosts);
    }

    [Fact]
    public void Parse_reads_the_database_name()
    {
        var uri = ConnectionUri.Parse("postgresql://localhost/mydb");

        Assert.Equal([new ConnectionUriHost("localhost", null)], uri.Hosts);
        Assert.Equal("mydb", uri.Database);
    }

    [Fact]
    public void Parse_reads_a_user_name_without_a_password()
    {
        var uri = ConnectionUri.Parse("postgresql://user@localhost");

        Assert.Equal("user", uri.UserName);
        Assert.Null(uri.Password);
        Assert.Equal([new ConnectionUriHost("localhost", null)], uri.Hosts);
    }

    [Fact]
    public void Parse_reads_a_user_name_and_password()
    {
        var uri = ConnectionUri.Parse("postgresql://user:secret@localhost");

        Assert.Equal("user", uri.UserName);
        Assert.Equal("secret", uri.Password);
        Assert.Equal([new ConnectionUriHost("localhost", null)], uri.Hosts);
    }

    [Fact]
    public void Parse_reads_query_parameters()
    {
        var uri = ConnectionUri.Parse("postgresql://other@localhost/otherdb?connect_timeout=10&application_name=myapp");

        Assert.Equal("other", uri.UserName);
        Assert.Equal("otherdb", uri.Database);
        Assert.Equal(
            new Dictionary<string, string> { ["connect_timeout"] = "10", ["application_name"] = "myapp" },
            uri.Parameters);
    }

    [Fact]
    public void Parse_reads_several_hosts_each_with_its_port()
    {
        var uri = ConnectionUri.Parse("postgresql://host1:123,host2:456/somedb?target_session_attrs=any&application_name=myapp");

        Assert.Equal([new ConnectionUriHost("host1", 123), new ConnectionUriHost("host2", 456)], uri.Hosts);
        Assert.Equal("somedb", uri.Database);
        Assert.Equal("any", uri.Parameters["target_session_attrs"]);
        Assert.Equal("myapp", uri.Parameters["application_name"]);
    }

    [Fact]
    public void Parse_folds_host_and_port_query_parameters_into_the_hosts()
    {
        var uri = ConnectionUri.Parse("postgresql:///mydb?host=localhost&port=5433");

        Assert.Equal([new ConnectionUriHost("localhost", 5433)], uri.Hosts);
        Assert.Equal("mydb", uri.Database);
        Assert.Empty(uri.Parameters);
    }

    [Fact]
    public void Parse_reads_an_IPv6_address_in_brackets()
    {
        var uri = ConnectionUri.Parse("postgresql://[2001:db8::1234]/database");

        Assert.Equal([new ConnectionUriHost("2001:db8::1234", null)], uri.Hosts);
        Assert.Equal("database", uri.Database);
    }

    [Fact]
    public void Parse_reads_an_IPv6_address_in_brackets_with_a_port()
    {
        var uri = ConnectionUri.Parse("postgresql://[2001:db8::1234]:5432,[::1]/database");

        Assert.Equal([new ConnectionUriHost("2001:db8::1234", 5432), new ConnectionUriHost("::1", null)], uri.Hosts);
    }

    [Fact]
    public void Parse_reads_a_Unix_socket_directory_from_the_host_query_parameter()
    {
        var uri = ConnectionUri.Parse("postgresql:///dbname?host=/var/lib/postgresql");

        Assert.Equal([new ConnectionUriHost("/var/lib/postgresql", null)], uri.Hosts);
        Assert.Equal("dbname", uri.Database);
    }

    [Fact]
    public void Parse_decodes_a_percent_encoded_Unix_socket_directory_in_the_host()
    {
        var uri = ConnectionUri.Parse("postgresql://%2Fvar%2Flib%2Fpostgresql/dbname");

        Assert.Equal([new ConnectionUriHost("/var/lib/postgresql", null)], uri.Hosts);
        Assert.Equal("dbname", uri.Database);
    }

    // Beyond the documentation's examples.

    [Fact]
    public void Parse_decodes_percent_encoded_user_name_and_password()
    {
        var uri = ConnectionUri.Parse("postgresql://us%65r%20name:p%40ss%3Aw%2Fd@localhost/my%20db");

        Assert.Equal("user name", uri.UserName);
        Assert.Equal("p@ss:w/d", uri.Password);
        Assert.Equal("my db", uri.Database);
    }

    [Fact]
    public void Parse_decodes_percent_encoded_UTF8_and_leaves_plus_signs_alone()
    {
        var uri = ConnectionUri.Parse("postgresql://j%C3%BCrgen:a+b@localhost?application_name=caf%C3%A9+bar");

        Assert.Equal("jürgen", uri.UserName);
        Assert.Equal("a+b", uri.Password);
        Assert.Equal("café+bar", uri.Parameters["application_name"]);
    }

    [Fact]
    public void Parse_accepts_an_unencoded_at_sign_question_mark_or_hash_in_the_password()
    {
        var uri = ConnectionUri.Parse("postgresql://user:p@s?s#w@db.example.com:5433/mydb?sslmode=require");

        Assert.Equal("user", uri.UserName);
        Assert.Equal("p@s?s#w", uri.Password);
        Assert.Equal([new ConnectionUriHost("db.example.com", 5433)], uri.Hosts);
        Assert.Equal("mydb", uri.Database);
        Assert.Equal("require", uri.Parameters["sslmode"]);
    }

    [Theory]
    [InlineData("postgres://u@h/db", "postgres")]
    [InlineData("postgresql://u@h/db", "postgresql")]
    [InlineData("PostgreSQL://u@h/db", "postgresql")]
    [InlineData("POSTGRES://u@h/db", "postgres")]
    public void Parse_accepts_both_schemes_in_any_case(string text, string scheme)
    {
        var uri = ConnectionUri.Parse(text);

        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal("u", uri.UserName);
        Assert.Equal([new ConnectionUriHost("h", null)], uri.Hosts);
        Assert.Equal("db", uri.Database);
    }

    [Fact]
    public void Parse_lets_user_password_and_dbname_query_parameters_override_the_URI_parts()
    {
        var uri = ConnectionUri.Parse("postgresql://alice:one@localhost/first?user=bob&password=t%26o&dbname=second");

        Assert.Equal("bob", uri.UserName);
        Assert.Equal("t&o", uri.Password);
        Assert.Equal("second", uri.Database);
        Assert.Empty(uri.Parameters);
    }

    [Fact]
    public void Parse_keeps_the_last_value_of_a_repeated_query_parameter()
    {
        var uri = ConnectionUri.Parse("postgresql://h?application_name=a&application_name=b&");

        Assert.Equal("b", Assert.Single(uri.Parameters).Value);
    }

    [Fact]
    public void Parse_keeps_query_parameter_keys_case_sensitive()
    {
        var uri = ConnectionUri.Parse("postgresql://h?SSLMode=require");

        Assert.True(uri.Parameters.ContainsKey("SSLMode"));
        Assert.False(uri.Parameters.ContainsKey("sslmode"));
    }

    [Fact]
    public void Parse_applies_one_port_parameter_to_every_host()
    {
        var uri = ConnectionUri.Parse("postgresql://a,b,c/db?port=6432");

        Assert.Equal(
            [new ConnectionUriHost("a", 6432), new ConnectionUriHost("b", 6432), new ConnectionUriHost("c", 6432)],
            uri.Hosts);
    }

    [Fact]
    public void Parse_pairs_host_and_port_parameter_lists()
    {
        var uri = ConnectionUri.Parse("postgresql:///db?host=a,b&port=1,");

        Assert.Equal([new ConnectionUriHost("a", 1), new ConnectionUriHost("b", null)], uri.Hosts);
    }

    [Fact]
    public void Parse_keeps_an_empty_host_for_a_port_without_a_host()
    {
        var uri = ConnectionUri.Parse("postgresql://:5433/db");

        Assert.Equal([new ConnectionUriHost("", 5433)], uri.Hosts);
    }

    [Fact]
    public void Parse_leaves_an_empty_user_password_or_database_unset()
    {
        var uri = ConnectionUri.Parse("postgresql://:@localhost/");

        Assert.Null(uri.UserName);
        Assert.Null(uri.Password);
        Assert.Null(uri.Database);
    }

    [Theory]
    [InlineData("postgresql://user:hunter2@localhost:5433/mydb?sslmode=require", "postgresql://user:***@localhost:5433/mydb?sslmode=require")]
    [InlineData("postgres://user:p%40ss%3Aw%2Fd@h1:1,h2/db", "postgres://user:***@h1:1,h2/db")]
    [InlineData("postgresql://h/db?password=hunter2&sslpassword=hunter2&application_name=app", "postgresql://:***@h/db?sslpassword=***&application_name=app")]
    [InlineData("postgresql://user@[2001:db8::1]:5432/db", "postgresql://user@[2001:db8::1]:5432/db")]
    [InlineData("postgresql:///dbname?host=/var/lib/postgresql", "postgresql://%2Fvar%2Flib%2Fpostgresql/dbname")]
    [InlineData("postgresql://", "postgresql://")]
    public void ToString_masks_the_password_and_can_be_parsed_again(string text, string expected)
    {
        var uri = ConnectionUri.Parse(text);

        var shown = uri.ToString();

        Assert.Equal(expected, shown);
        Assert.DoesNotContain("hunter2", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("p@ss", shown, StringComparison.Ordinal);
        var again = ConnectionUri.Parse(shown);
        Assert.Equal(uri.Hosts, again.Hosts);
        Assert.Equal(uri.Database, again.Database);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("mysql://u:hunter2@h/db", "postgresql://")]
    [InlineData("postgresql:/u:hunter2@h/db", "postgresql://")]
    [InlineData("hunter2", "postgresql://")]
    [InlineData("postgresql://u:hunter2@[2001:db8::1/db", "']'")]
    [InlineData("postgresql://u:hunter2@[]:5432/db", "empty IPv6")]
    [InlineData("postgresql://u:hunter2@[::1]x/db", "after its closing ']'")]
    [InlineData("postgresql://u:hunter2@host]/db", "'['")]
    [InlineData("postgresql://u:hunter2@localhost:abc/db", "port of host 1")]
    [InlineData("postgresql://u:hunter2@localhost:0/db", "port of host 1")]
    [InlineData("postgresql://u:hunter2@localhost:65536/db", "port of host 1")]
    [InlineData("postgresql://u:hunter2@localhost:-1/db", "port of host 1")]
    [InlineData("postgresql://u:hunter2@a:1,b:99999/db", "port of host 2")]
    [InlineData("postgresql://u:hunter2@localhost/db?port=x", "port of host 1")]
    [InlineData("postgresql://u:hunter2@a,b,c/db?port=1,2", "2 ports for 3 hosts")]
    [InlineData("postgresql://u:hunter2%zz@localhost/db", "password has an invalid percent escape")]
    [InlineData("postgresql://u:hunter2%4@localhost/db", "password has an invalid percent escape")]
    [InlineData("postgresql://u:hunter2%00@localhost/db", "password has an invalid percent escape")]
    [InlineData("postgresql://u:hunter2%C3@localhost/db", "password has an invalid percent escape")]
    [InlineData("postgresql://u%G1:hunter2@localhost/db", "user name has an invalid percent escape")]
    [InlineData("postgresql://u:hunter2@local%host/db", "host 1 has an invalid percent escape")]
    [InlineData("postgresql://u:hunter2@localhost/d%b", "database name has an invalid percent escape")]
    [InlineData("postgresql://u@localhost/db?password=hunter2%", "invalid percent escape")]
    [InlineData("postgresql://u@localhost/db?password=hunter2&x", "query parameter 2 has no '='")]
    [InlineData("postgresql://u@localhost/db?password=a=hunter2", "contains '='")]
    [InlineData("postgresql://u@localhost/db?sslmode=require&&password=hunter2", "query parameter 2 has no '='")]
    [InlineData("postgresql://u@localhost/db?=hunter2", "empty or invalid name")]
    [InlineData("postgresql://u:hunter2@localhost/db\n", "control character")]
    public void Parse_rejects_malformed_input_without_showing_the_password(string text, string expected)
    {
        var exception = Assert.Throws<StorageConfigurationException>(() => ConnectionUri.Parse(text));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
        Assert.False(ConnectionUri.TryParse(text, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Parse_rejects_null_with_an_argument_exception()
    {
        Assert.Throws<ArgumentNullException>(() => ConnectionUri.Parse(null!));
    }

    [Fact]
    public void TryParse_returns_the_parsed_URI_for_valid_input()
    {
        Assert.True(ConnectionUri.TryParse("postgresql://user:secret@localhost/mydb", out var uri));

        Assert.Equal("secret", uri.Password);
        Assert.Equal("mydb", uri.Database);
    }

    [Fact]
    public void TryParse_returns_false_for_null()
    {
        Assert.False(ConnectionUri.TryParse(null, out var uri));
        Assert.Null(uri);
    }
}
