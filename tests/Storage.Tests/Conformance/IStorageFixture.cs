using System.Data.Common;
using GatewayStorage.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace GatewayStorage.Tests.Conformance;

/// <summary>
/// One backend under test. Each test class gets its own fixture and so its own database; a test that needs
/// an empty database (migrations, counting) asks for a fresh one.
/// </summary>
public interface IStorageFixture
{
    /// <summary>The backend's name: <c>sqlite</c> or <c>postgres</c>.</summary>
    string Backend { get; }

    /// <summary>A migrated provider over this test class's database.</summary>
    IDatabaseProvider Provider { get; }

    /// <summary>The URL of this test class's database.</summary>
    string Url { get; }

    /// <summary>Creates a new, empty database and returns its URL.</summary>
    Task<string> CreateDatabaseAsync();

    /// <summary>Creates a provider over a URL; the caller disposes it.</summary>
    IDatabaseProvider CreateProvider(string url, Action<GatewayStorageOptions>? configure = null, TimeProvider? time = null);

    /// <summary>Every log line the fixture's providers wrote.</summary>
    LogCapture Logs { get; }

    /// <summary>Every log record (level, event id, category, message) the fixture's providers and their engines wrote.</summary>
    FakeLogCollector LogRecords { get; }

    /// <summary>
    /// Records a secret a test used (a token, a client secret, an API key). When the fixture is disposed it fails
    /// if any log line its providers wrote contains one of them.
    /// </summary>
    void RegisterSecret(string secret);

    /// <summary>Opens a plain engine connection to a URL, for tests about what is stored.</summary>
    Task<DbConnection> OpenRawConnectionAsync(string url);
}
