using System.Buffers.Binary;
using System.Globalization;
using GatewayStorage.Security;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// The rows of one seeded database, generated deterministically from <see cref="BenchmarkSettings.Seed"/> (ids,
/// emails, roles, assignments and config are the same on both engines and on every run). API keys are real:
/// generated with <see cref="ApiKeyFormat.Generate"/> and stored as the keyed hash the library verifies.
/// Rows are streamed to the bulk seeders, so a million-row table is never held in memory as rows.
/// </summary>
internal sealed class SeedPlan
{
    /// <summary>The creation time of the first seeded row: every seeded id and time is after it.</summary>
    public static readonly DateTimeOffset BaseTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Resources =
        ["users", "roles", "keys", "config", "audit", "servers", "tokens", "sessions", "credentials", "reports"];

    private static readonly string[] Actions = ["read", "write", "delete", "admin"];

    public SeedPlan(int rows, bool withRoles)
    {
        Rows = rows;
        WithRoles = withRoles;
        var random = new Random(BenchmarkSettings.Seed + rows);
        UserIds = new Guid[rows];
        for (var i = 0; i < rows; i++)
        {
            UserIds[i] = VersionSevenId(BaseTime.AddMilliseconds(i), random);
        }

        ApiKeyIds = new Guid[rows];
        var keysStart = BaseTime.AddMilliseconds(rows);
        for (var i = 0; i < rows; i++)
        {
            ApiKeyIds[i] = VersionSevenId(keysStart.AddMilliseconds(i), random);
        }

        var rolesStart = BaseTime.AddDays(-1);
        var pool = Resources.SelectMany(r => Actions.Select(a => r + ":" + a)).ToArray();
        RoleIds = new Guid[BenchmarkSettings.Roles];
        RoleNames = new string[BenchmarkSettings.Roles];
        RolePermissions = new string[BenchmarkSettings.Roles][];
        for (var r = 0; r < RoleIds.Length; r++)
        {
            RoleIds[r] = VersionSevenId(rolesStart.AddMilliseconds(r), random);
            RoleNames[r] = string.Create(CultureInfo.InvariantCulture, $"Bench Role {r:D2}");
            var count = random.Next(5, 21);
            RolePermissions[r] = [.. pool.OrderBy(_ => random.Next()).Take(count).Order(StringComparer.Ordinal)];
        }

        // A deterministic sample of key indices whose presented keys are kept for the verify benchmarks.
        var sample = new HashSet<int>();
        var wanted = Math.Min(BenchmarkSettings.KeySampleSize, rows);
        while (sample.Count < wanted)
        {
            sample.Add(random.Next(rows));
        }

        KeySampleIndices = sample;
    }

    public int Rows { get; }

    /// <summary>Whether roles, permissions and assignments are seeded (the scale databases hold users and keys only).</summary>
    public bool WithRoles { get; }

    /// <summary>User ids, in insertion (and id) order.</summary>
    public Guid[] UserIds { get; }

    /// <summary>API key ids; key <c>i</c> belongs to user <c>i</c>.</summary>
    public Guid[] ApiKeyIds { get; }

    public Guid[] RoleIds { get; }

    public string[] RoleNames { get; }

    public string[][] RolePermissions { get; }

    public IReadOnlySet<int> KeySampleIndices { get; }

    /// <summary>The email of user <paramref name="index"/>, in mixed case (lookups exercise the normalisation).</summary>
    public static string Email(int index) => string.Create(CultureInfo.InvariantCulture, $"Bench.User{index:D7}@Example.COM");

    public static string NormalizedEmail(string email) => Check.Normalize(email);

    public static string DisplayName(int index) => string.Create(CultureInfo.InvariantCulture, $"Bench User {index}");

    /// <summary>One user in twenty is inactive.</summary>
    public static bool IsActive(int index) => index % 20 != 19;

    public static DateTimeOffset UserCreatedAt(int index) => BaseTime.AddMilliseconds(index);

    public static string ConfigKey(int index) => string.Create(CultureInfo.InvariantCulture, $"features/flag-{index:D4}");

    public static string ConfigValue(int index) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"enabled\":{(index % 2 == 0 ? "true" : "false")},\"limit\":{index * 10},\"name\":\"feature {index}\",\"tags\":[\"gateway\",\"tier-{index % 7}\"]}}");

    /// <summary>Every user's roles: 1 to 3 distinct role indices per user, in user order.</summary>
    public IEnumerable<(int User, int Role)> UserRoles()
    {
        var random = new Random(BenchmarkSettings.Seed + Rows + 1);
        var chosen = new int[3];
        for (var u = 0; u < Rows; u++)
        {
            var count = random.Next(1, 4);
            var n = 0;
            while (n < count)
            {
                var role = random.Next(BenchmarkSettings.Roles);
                if (Array.IndexOf(chosen, role, 0, n) < 0)
                {
                    chosen[n++] = role;
                }
            }

            for (var k = 0; k < n; k++)
            {
                yield return (u, chosen[k]);
            }
        }
    }

    /// <summary>Every API key: real generated keys, hashed under the database's hasher; the sampled ones keep their full key.</summary>
    public IEnumerable<SeedApiKey> ApiKeys(ApiKeyHasher hasher, string prefix)
    {
        for (var i = 0; i < Rows; i++)
        {
            var generated = ApiKeyFormat.Generate(prefix);
            var hash = hasher.Hash(generated.Secret);
            yield return new SeedApiKey(
                i,
                ApiKeyIds[i],
                UserIds[i],
                string.Create(CultureInfo.InvariantCulture, $"bench key {i}"),
                generated.PublicId,
                hash,
                KeySampleIndices.Contains(i) ? generated.FullKey : null);
        }
    }

    /// <summary>A version 7 id for <paramref name="time"/> whose random bits come from <paramref name="random"/>.</summary>
    private static Guid VersionSevenId(DateTimeOffset time, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes[6..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, time.ToUnixTimeMilliseconds() << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>One seeded API key; <see cref="PresentedKey"/> is kept only for the sampled ones.</summary>
internal readonly record struct SeedApiKey(int Index, Guid Id, Guid UserId, string Name, string PublicId, byte[] SecretHash, string? PresentedKey);

/// <summary>A presented key the verify benchmarks use, with the ids every variant must return for it.</summary>
internal sealed record SampleApiKey(string PresentedKey, Guid Id, Guid UserId);
