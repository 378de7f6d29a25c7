using System.Security.Cryptography;
using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class ApiKeyHasherTests
{
    private static readonly byte[] ServerKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void The_same_secret_gives_the_same_32_byte_hash()
    {
        var hasher = new ApiKeyHasher(ServerKey);
        var secret = ApiKeyFormat.Generate("gsk").Secret;

        var hash = hasher.Hash(secret);

        Assert.Equal(32, hash.Length);
        Assert.Equal(hash, hasher.Hash(secret));
        Assert.Equal(hash, new ApiKeyHasher(ServerKey).Hash(secret));
    }

    [Fact]
    public void The_hash_is_HMAC_SHA256_of_the_UTF8_secret()
    {
        var hasher = new ApiKeyHasher(ServerKey);

        Assert.Equal(HMACSHA256.HashData(ServerKey, "abc"u8), hasher.Hash("abc"));
        var longSecret = new string('x', 5000);
        Assert.Equal(HMACSHA256.HashData(ServerKey, System.Text.Encoding.UTF8.GetBytes(longSecret)), hasher.Hash(longSecret));
    }

    [Fact]
    public void Different_secrets_give_different_hashes()
    {
        var hasher = new ApiKeyHasher(ServerKey);

        Assert.NotEqual(hasher.Hash(ApiKeyFormat.Generate("gsk").Secret), hasher.Hash(ApiKeyFormat.Generate("gsk").Secret));
    }

    [Fact]
    public void A_different_server_key_gives_a_different_hash()
    {
        var secret = ApiKeyFormat.Generate("gsk").Secret;

        Assert.NotEqual(new ApiKeyHasher(ServerKey).Hash(secret), new ApiKeyHasher(Key1).Hash(secret));
    }

    [Fact]
    public void Matches_is_true_for_the_secret_and_false_otherwise()
    {
        var hasher = new ApiKeyHasher(ServerKey);
        var secret = ApiKeyFormat.Generate("gsk").Secret;
        var hash = hasher.Hash(secret);

        Assert.True(hasher.Matches(secret, hash));
        Assert.False(hasher.Matches(secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'), hash));
        Assert.False(hasher.Matches("", hash));
        Assert.False(hasher.Matches(secret, hash.AsSpan(0, 31)));
        Assert.False(hasher.Matches(secret, []));
    }

    [Fact]
    public void The_constructor_rejects_a_key_shorter_than_32_bytes_and_copies_the_key()
    {
        Assert.Throws<ArgumentException>(() => new ApiKeyHasher(new byte[31]));

        var key = (byte[])ServerKey.Clone();
        var hasher = new ApiKeyHasher(key);
        Array.Clear(key);

        Assert.Equal(new ApiKeyHasher(ServerKey).Hash("abc"), hasher.Hash("abc"));
    }

    [Fact]
    public void FromOptions_uses_the_configured_hash_key()
    {
        var options = new GatewayStorageOptions { ApiKeyHashKey = Convert.ToBase64String(ServerKey) };
        using var ring = Ring(("k1", Key1));

        var hasher = ApiKeyHasher.FromOptions(options, ring);

        Assert.Equal(new ApiKeyHasher(ServerKey).Hash("abc"), hasher.Hash("abc"));
    }

    [Fact]
    public void FromOptions_without_a_hash_key_derives_one_with_HKDF_from_the_first_encryption_key()
    {
        using var ring = Ring(("k1", Key1), ("k2", Key2));

        var hasher = ApiKeyHasher.FromOptions(new GatewayStorageOptions(), ring);

        var expectedKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Key1, 32, info: "GatewayStorage API key hashing v1"u8.ToArray());
        Assert.Equal(new ApiKeyHasher(expectedKey).Hash("abc"), hasher.Hash("abc"));
        Assert.NotEqual(new ApiKeyHasher(Key1).Hash("abc"), hasher.Hash("abc"));
    }

    [Fact]
    public void The_derived_key_survives_encryption_key_rotation()
    {
        var secret = ApiKeyFormat.Generate("gsk").Secret;
        using var before = Ring(("k1", Key1));
        using var after = Ring(("k1", Key1), ("k2", Key2));

        var hash = ApiKeyHasher.FromOptions(new GatewayStorageOptions(), before).Hash(secret);

        Assert.True(ApiKeyHasher.FromOptions(new GatewayStorageOptions(), after).Matches(secret, hash));
    }

    [Theory]
    [InlineData("not base64, hunter2")]
    [InlineData("c2hvcnQta2V5LWh1bnRlcjI=")]
    [InlineData("")]
    public void FromOptions_rejects_a_malformed_hash_key_without_showing_it(string configured)
    {
        var options = new GatewayStorageOptions { ApiKeyHashKey = configured };
        using var ring = Ring(("k1", Key1));

        var exception = Assert.Throws<StorageConfigurationException>(() => ApiKeyHasher.FromOptions(options, ring));

        Assert.Contains("GatewayStorage:ApiKeyHashKey", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    private static EncryptionKeyRing Ring(params (string Id, byte[] Key)[] keys) =>
        new(keys.Select(k => new KeyValuePair<string, byte[]>(k.Id, k.Key)));
}
