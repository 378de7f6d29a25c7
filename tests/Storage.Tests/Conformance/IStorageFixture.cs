using System.Data.Common;

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

    /// <summary>Opens a plain engine connection to a URL, for tests about what is stored.</summary>
    Task<DbConnection> OpenRawConnectionAsync(string url);
}
