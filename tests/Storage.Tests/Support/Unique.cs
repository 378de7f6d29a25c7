namespace GatewayStorage.Tests.Support;

/// <summary>Values no other test uses, so tests can share a database.</summary>
public static class Unique
{
    public static string Suffix() => Guid.NewGuid().ToString("N")[..12];

    public static string Email(string local = "user") => $"{local}.{Suffix()}@example.org";

    public static string Name(string prefix = "name") => $"{prefix}-{Suffix()}";
}
