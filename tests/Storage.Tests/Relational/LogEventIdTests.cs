using System.Reflection;
using System.Text.RegularExpressions;
using GatewayStorage.Relational;
using Microsoft.Extensions.Logging;

namespace GatewayStorage.Tests.Relational;

/// <summary>Every log message of every package has its own stable event id, and the README's one table lists each as it is.</summary>
public sealed partial class LogEventIdTests
{
    // Every package's log messages: the storage's, and the ASP.NET Core package's.
    private static readonly IReadOnlyList<LoggerMessageAttribute> Messages =
        [.. new[] { typeof(StorageLog), typeof(GatewayStorage.AspNetCore.GatewayApiKeyLog) }
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>()!)];

    [Fact]
    public void Each_log_message_has_its_own_event_id_and_name()
    {
        Assert.NotEmpty(Messages);
        Assert.Equal(Messages.Count, Messages.Select(m => m.EventId).Distinct().Count());
        Assert.Equal(Messages.Count, Messages.Select(m => m.EventName).Distinct().Count());
        Assert.All(Messages, m => Assert.False(string.IsNullOrEmpty(m.EventName)));
    }

    [Fact]
    public void The_readme_table_lists_every_event_id_with_its_name_and_level()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var rows = TableRow().Matches(readme).ToDictionary(m => int.Parse(m.Groups["id"].Value), m => (Name: m.Groups["name"].Value, Level: m.Groups["level"].Value));

        Assert.Equal(Messages.Select(m => m.EventId).Order(), rows.Keys.Order());
        Assert.All(Messages, m => Assert.Equal((m.EventName!, m.Level.ToString()), rows[m.EventId]));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Storage.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No Storage.sln above " + AppContext.BaseDirectory);
    }

    // | 13 | `SecretDecryptionFailed` | Warning | … |
    [GeneratedRegex(@"^\| (?<id>\d+) \| `(?<name>\w+)` \| (?<level>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
