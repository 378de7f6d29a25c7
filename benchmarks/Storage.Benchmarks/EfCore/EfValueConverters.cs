using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GatewayStorage.Benchmarks.EfCore;

/// <summary>SQLite: a <see cref="Guid"/> as lower-case 'D' text, the library's storage form (EF's default is upper-case).</summary>
public sealed class SqliteGuidTextConverter() : ValueConverter<Guid, string>(
    v => v.ToString("D"),
    v => Guid.ParseExact(v, "D"));

/// <summary>SQLite: a <see cref="DateTimeOffset"/> as INTEGER microseconds since the Unix epoch (UTC), read back at offset 0.</summary>
public sealed class SqliteMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => (v.UtcTicks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond,
    v => new DateTimeOffset(UnixEpochTicks + (v * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero))
{
    /// <summary><see cref="DateTimeOffset.UnixEpoch"/> in ticks (a constant, so the expression needs no member access).</summary>
    public const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>The provider value of <paramref name="value"/>, for raw SQL parameters (which bypass converters).</summary>
    public static long ToMicroseconds(DateTimeOffset value) => (value.UtcTicks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;
}

/// <summary>
/// Both engines: a config value as JSON text (SQLite text, PostgreSQL json read as text), parsed into a detached
/// <see cref="JsonElement"/> on read — the same work the library does (JsonDocument.Parse, then Clone).
/// </summary>
public sealed class JsonElementTextConverter() : ValueConverter<JsonElement, string>(
    v => v.GetRawText(),
    v => Parse(v))
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>Both engines: API key scopes as one space-separated text column, like the library stores them.</summary>
public sealed class ScopesTextConverter() : ValueConverter<string[], string>(
    v => Join(v),
    v => Split(v))
{
    public static string Join(string[] scopes) => string.Join(' ', scopes);

    public static string[] Split(string stored) =>
        stored.Length == 0 ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Element-wise comparison for <see cref="ScopesTextConverter"/> (EF compares arrays by reference otherwise).</summary>
public sealed class ScopesComparer() : ValueComparer<string[]>(
    (a, b) => (a == null && b == null) || (a != null && b != null && a.SequenceEqual(b)),
    v => v.Aggregate(0, (hash, scope) => HashCode.Combine(hash, scope.GetHashCode(StringComparison.Ordinal))),
    v => v.ToArray());
