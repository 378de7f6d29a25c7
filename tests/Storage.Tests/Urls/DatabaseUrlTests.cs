using GatewayStorage.Postgres;
namespace GatewayStorage.Tests.Urls;

public sealed class DatabaseUrlTests
{
    [Theory]
    [InlineData("sqlite:./data/gateway.db", "sqlite")]
    [InlineData("sqlite:///var/lib/app/gateway.db", "sqlite")]
    [InlineData("sqlite::memory:", "sqlite")]
    [InlineData("postgres://u:p@h/db", "postgres")]
    [InlineData("PostgreSQL://u:p@h/db", "postgresql")]
    [InlineData("git+ssh://host/repo", "git+ssh")]
    [InlineData("x-my.db:anything", "x-my.db")]
    public void TryGetScheme_returns_the_scheme_in_lower_case(string url, string expected)
    {
        Assert.True(DatabaseUrl.TryGetScheme(url, out var scheme));
        Assert.Equal(expected, scheme);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("./data/gateway.db")]
    [InlineData("/var/lib/app/gateway.db")]
    [InlineData(":memory:")]
    [InlineData("1sqlite:x")]
    [InlineData("sq lite:x")]
    [InlineData("sqlite_x:y")]
    public void TryGetScheme_returns_false_for_a_URL_without_a_scheme(string? url)
    {
        Assert.False(DatabaseUrl.TryGetScheme(url, out var scheme));
        Assert.Equal("", scheme);
    }

    [Theory]
    [InlineData("postgresql://user:hunter2@localhost:5432/db", "postgresql://user:***@localhost:5432/db")]
    [InlineData("postgres://user:hunter2@h1:1,h2:2/db?sslmode=require", "postgres://user:***@h1:1,h2:2/db?sslmode=require")]
    [InlineData("postgresql://:hunter2@localhost", "postgresql://:***@localhost")]
    [InlineData("postgresql://user:p%40ss%3Ahunter2@localhost/db", "postgresql://user:***@localhost/db")]
    [InlineData("postgresql://user:hunter2@with@at@localhost/db", "postgresql://user:***@localhost/db")]
    [InlineData("postgresql://user:hun?ter2#x@localhost/db", "postgresql://user:***@localhost/db")]
    public void Redact_masks_the_password_in_the_user_information(string url, string expected)
    {
        var redacted = PostgresUrlRedaction.Redact(url);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("hunter2", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://localhost/db?password=hunter2", "postgresql://localhost/db?password=***")]
    [InlineData("postgresql://localhost/db?sslmode=require&password=hunter2&application_name=app", "postgresql://localhost/db?sslmode=require&password=***&application_name=app")]
    [InlineData("postgresql://localhost/db?PASSWORD=hunter2", "postgresql://localhost/db?PASSWORD=***")]
    [InlineData("postgresql://localhost/db?sslpassword=hunter2", "postgresql://localhost/db?sslpassword=***")]
    [InlineData("postgresql://u:hunter2@localhost/db?password=hunter2", "postgresql://u:***@localhost/db?password=***")]
    public void Redact_masks_password_query_parameters(string url, string expected)
    {
        var redacted = PostgresUrlRedaction.Redact(url);

        Assert.Equal(expected, redacted);
        Assert.DoesNotContain("hunter2", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:./data/gateway.db")]
    [InlineData("sqlite:///var/lib/app/gateway.db")]
    [InlineData("sqlite::memory:")]
    [InlineData("postgresql://user@localhost:5432/db?sslmode=require")]
    [InlineData("postgresql://localhost/db?application_name=app")]
    [InlineData("postgresql://")]
    public void Redact_leaves_a_URL_without_a_password_unchanged(string url)
    {
        Assert.Equal(url, PostgresUrlRedaction.Redact(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Redact_returns_empty_for_no_URL(string? url)
    {
        Assert.Equal("", PostgresUrlRedaction.Redact(url));
    }
}
