namespace GatewayStorage.Benchmarks;

/// <summary>
/// The <see cref="GatewayStorageOptions"/> every variant of one database shares: one fixed encryption key (so the
/// API keys the seeder hashes are the ones the library accepts), and a last-used interval of an hour.
/// </summary>
/// <remarks>
/// The interval: verifying a key writes its last-used time at most once per interval (the library's default is a
/// minute). The seeder stores "now" as every key's last-used time, so during a run verify is the read it is in
/// the common case, on every variant alike; with the default minute a long run would add one write per key per
/// minute, the same for all three variants but noisy.
/// </remarks>
internal static class BenchmarkOptions
{
    public const string EncryptionKeyId = "bench";

    // 32 fixed bytes (0x00..0x1f): a benchmark key, not a secret.
    private const string EncryptionKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public static TimeSpan LastUsedInterval { get; } = TimeSpan.FromHours(1);

    public static GatewayStorageOptions Create(string url) => new()
    {
        Url = url,
        AutoMigrate = false,
        ApiKeyLastUsedInterval = LastUsedInterval,
        EncryptionKeys = { new EncryptionKeyOptions { Id = EncryptionKeyId, Key = EncryptionKey } },
    };
}
