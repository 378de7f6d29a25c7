using System.Buffers.Text;
using System.Security.Cryptography;
using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class EncryptionKeyRingTests
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private static readonly string Id1 = KeyFingerprint.IdOf(Key1);
    private static readonly string Id2 = KeyFingerprint.IdOf(Key2);
    private static readonly string Prefix1 = $"v1:{Id1}:";
    private static readonly SecretContext Context = new("oauth_tokens", Guid.NewGuid(), "access_token");

    private const string Secret = "ya29.a0-the-plaintext-refresh-token";

    public static TheoryData<string> Plaintexts() => new()
    {
        "",
        "x",
        Secret,
        "Grüße, 東京, emoji 🔑, RTL שלום",
        new string('s', 16 * 1024),
        string.Concat(Enumerable.Repeat("ключ🔐", 3000)),
    };

    [Theory]
    [MemberData(nameof(Plaintexts))]
    public void Decrypt_returns_what_Encrypt_was_given(string plaintext)
    {
        using var ring = Ring(("k1", Key1));

        var stored = ring.Encrypt(plaintext, Context);

        Assert.Equal(plaintext, ring.Decrypt(stored, Context));
    }

    [Fact]
    public void Every_encryption_of_the_same_plaintext_differs_and_names_the_current_key()
    {
        using var ring = Ring(("k1", Key1));

        var values = Enumerable.Range(0, 100).Select(_ => ring.Encrypt(Secret, Context)).ToList();

        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(values, value => Assert.StartsWith(Prefix1, value, StringComparison.Ordinal));
        Assert.All(values, value => Assert.Equal(Id1, EncryptionKeyRing.KeyIdOf(value)));
        Assert.All(values, value => Assert.DoesNotContain(Secret, value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_stored_form_is_ascii_with_base64url_of_nonce_ciphertext_and_tag()
    {
        using var ring = Ring(("k1", Key1));

        var stored = ring.Encrypt("abc", Context);

        var data = stored[Prefix1.Length..];
        Assert.True(Base64Url.IsValid(data, out var length));
        Assert.Equal(12 + 3 + 16, length);
        Assert.All(stored, c => Assert.True(char.IsAscii(c)));
    }

    public static TheoryData<string, Guid, string> OtherPlaces() => new()
    {
        { Context.Table, Guid.NewGuid(), Context.Column },
        { Context.Table, Context.RowId, "refresh_token" },
        { "oauth_clients", Context.RowId, Context.Column },
    };

    [Theory]
    [MemberData(nameof(OtherPlaces))]
    public void A_value_copied_to_another_row_column_or_table_fails_to_decrypt(string table, Guid rowId, string column)
    {
        using var ring = Ring(("k1", Key1));
        var stored = ring.Encrypt(Secret, Context);

        var exception = Assert.Throws<SecretDecryptionException>(() => ring.Decrypt(stored, new SecretContext(table, rowId, column)));

        Assert.Equal(Id1, exception.KeyId);
        AssertNoSecrets(exception, stored, Secret);
    }

    [Fact]
    public void A_value_with_any_byte_flipped_fails_to_decrypt()
    {
        using var ring = Ring(("k1", Key1));
        var stored = ring.Encrypt(Secret, Context);
        var payload = Base64Url.DecodeFromChars(stored.AsSpan(Prefix1.Length));

        for (var i = 0; i < payload.Length; i++)
        {
            var tampered = (byte[])payload.Clone();
            tampered[i] ^= 0x01;
            var text = Prefix1 + Base64Url.EncodeToString(tampered);

            var exception = Assert.Throws<SecretDecryptionException>(() => ring.Decrypt(text, Context));

            Assert.Equal(Id1, exception.KeyId);
            AssertNoSecrets(exception, text, Secret);
        }
    }

    [Fact]
    public void A_truncated_value_fails_to_decrypt()
    {
        using var ring = Ring(("k1", Key1));
        var stored = ring.Encrypt(Secret, Context);

        Assert.Throws<SecretDecryptionException>(() => ring.Decrypt(stored[..^4], Context));
        Assert.Throws<SecretDecryptionException>(() => ring.Decrypt("v1:k1:" + Base64Url.EncodeToString(new byte[27]), Context));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text that was never encrypted")]
    [InlineData("v2:k1:AAAA")]
    [InlineData("v1:")]
    [InlineData("v1:k1")]
    [InlineData("v1::AAAA")]
    [InlineData("v1:a key with spaces:AAAA")]
    [InlineData("v1:this-key-id-is-far-longer-than-thirty-two-chars:AAAA")]
    public void Malformed_stored_text_fails_with_the_unknown_key_id(string stored)
    {
        using var ring = Ring(("k1", Key1));

        var exception = Assert.Throws<SecretDecryptionException>(() => ring.Decrypt(stored, Context));

        Assert.Equal(EncryptionKeyRing.UnknownKeyId, exception.KeyId);
        Assert.Null(EncryptionKeyRing.KeyIdOf(stored));
        if (stored.Length > 5)
        {
            Assert.DoesNotContain(stored, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Malformed_data_under_a_known_key_fails_and_names_the_key()
    {
        using var ring = Ring(("k1", Key1));

        var exception = Assert.Throws<SecretDecryptionException>(() => ring.Decrypt("v1:k1:not*base64url!", Context));

        Assert.Equal("k1", exception.KeyId);
    }

    [Fact]
    public void Rotation_keeps_old_values_readable_and_encrypts_new_ones_with_the_new_key()
    {
        using var before = Ring(("k1", Key1));
        var old = before.Encrypt(Secret, Context);

        using var after = Ring(("k1", Key1), ("k2", Key2));
        var fresh = after.Encrypt(Secret, Context);

        Assert.Equal(Id2, after.CurrentKeyId);
        Assert.Equal(Secret, after.Decrypt(old, Context));
        Assert.Equal(Id2, EncryptionKeyRing.KeyIdOf(fresh));
        Assert.Equal(Secret, after.Decrypt(fresh, Context));
    }

    [Fact]
    public void A_value_under_a_key_that_is_no_longer_configured_fails_and_names_that_key()
    {
        using var before = Ring(("k1", Key1));
        var old = before.Encrypt(Secret, Context);
        using var after = Ring(("k2", Key2));

        var exception = Assert.Throws<SecretDecryptionException>(() => after.Decrypt(old, Context));

        Assert.Equal(Id1, exception.KeyId);
        Assert.Contains($"'{Id1}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("EncryptionKeys", exception.Message, StringComparison.Ordinal);
        AssertNoSecrets(exception, old, Secret);
    }

    [Fact]
    public void A_different_key_under_the_same_configured_id_gets_another_key_id_and_cannot_decrypt()
    {
        using var first = Ring(("k1", Key1));
        var stored = first.Encrypt(Secret, Context);
        using var other = Ring(("k1", Key2));

        var exception = Assert.Throws<SecretDecryptionException>(() => other.Decrypt(stored, Context));

        Assert.NotEqual(first.CurrentKeyId, other.CurrentKeyId);
        Assert.Equal(Id1, exception.KeyId);
        AssertNoSecrets(exception, stored, Secret);
    }

    [Fact]
    public void Key_ids_are_fingerprints_of_the_key_whatever_id_it_was_configured_with()
    {
        using var a = Ring(("main", Key1));
        using var b = Ring(("file", Key1));

        Assert.Equal(a.CurrentKeyId, b.CurrentKeyId);
        Assert.Matches("^fp-[0-9a-f]{16}$", a.CurrentKeyId);
        Assert.DoesNotContain(Convert.ToHexString(Key1)[..16], a.CurrentKeyId, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(KeyFingerprint.CheckValueOf(Key1), KeyFingerprint.CheckValueOf(Key2));
    }

    [Fact]
    public void A_value_written_under_the_configured_id_before_fingerprint_ids_still_decrypts_under_that_id()
    {
        using var ring = Ring(("file", Key1));
        var legacy = "v1:file:" + ring.Encrypt(Secret, Context)[Prefix1.Length..];

        Assert.Equal(Secret, ring.Decrypt(legacy, Context));

        using var wrong = Ring(("file", Key2));
        var exception = Assert.Throws<SecretDecryptionException>(() => wrong.Decrypt(legacy, Context));
        Assert.Equal("file", exception.KeyId);
        AssertNoSecrets(exception, legacy, Secret);
    }

    [Fact]
    public void The_same_key_configured_twice_under_two_ids_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Ring(("a", Key1), ("b", Key1)));
    }

    [Fact]
    public async Task Disposing_during_concurrent_encryption_never_yields_a_value_under_a_cleared_key()
    {
        for (var round = 0; round < 20; round++)
        {
            var ring = Ring(("k1", Key1));
            var produced = new System.Collections.Concurrent.ConcurrentBag<(string Stored, SecretContext Context)>();
            using var start = new ManualResetEventSlim();
            var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.Wait();
                while (true)
                {
                    var context = new SecretContext("oauth_tokens", Guid.NewGuid(), "access_token");
                    try
                    {
                        produced.Add((ring.Encrypt(Secret, context), context));
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            })).ToList();

            start.Set();
            await Task.Delay(round % 5);
            ring.Dispose();
            await Task.WhenAll(workers);

            using var real = Ring(("k1", Key1));
            Assert.All(produced, value => Assert.Equal(Secret, real.Decrypt(value.Stored, value.Context)));
        }
    }

    [Fact]
    public void Concurrent_encryption_and_decryption_share_the_ring_safely()
    {
        using var ring = Ring(("k1", Key1), ("k2", Key2));

        Parallel.For(0, 2000, i =>
        {
            var context = new SecretContext("t", Guid.NewGuid(), "c");
            var plaintext = "secret-" + i;
            Assert.Equal(plaintext, ring.Decrypt(ring.Encrypt(plaintext, context), context));
        });
    }

    [Fact]
    public void The_constructor_rejects_bad_rings_without_showing_key_material()
    {
        var shortKey = RandomNumberGenerator.GetBytes(16);

        AssertRejected(() => Ring());
        AssertRejected(() => Ring(("k1", shortKey)));
        AssertRejected(() => Ring(("k1", RandomNumberGenerator.GetBytes(33))));
        AssertRejected(() => Ring(("", Key1)));
        AssertRejected(() => Ring(("has space", Key1)));
        AssertRejected(() => Ring((new string('k', 33), Key1)));
        AssertRejected(() => Ring(("k1", Key1), ("k1", Key2)));

        void AssertRejected(Action create)
        {
            var exception = Assert.ThrowsAny<ArgumentException>(create);
            foreach (var key in new[] { Key1, Key2, shortKey })
            {
                Assert.DoesNotContain(Convert.ToBase64String(key), exception.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(Convert.ToHexString(key), exception.Message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void The_ring_copies_its_keys()
    {
        var key = (byte[])Key1.Clone();
        using var ring = new EncryptionKeyRing([new("k1", key)]);
        var stored = ring.Encrypt(Secret, Context);

        Array.Clear(key);

        Assert.Equal(Secret, ring.Decrypt(stored, Context));
    }

    [Fact]
    public void FromOptions_decodes_base64_keys_in_order_and_the_last_encrypts()
    {
        var options = new GatewayStorageOptions();
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "old", Key = Convert.ToBase64String(Key1) });
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "new", Key = Convert.ToBase64String(Key2) });
        using var fromKeys = Ring(("old", Key1));
        var old = fromKeys.Encrypt(Secret, Context);

        using var ring = EncryptionKeyRing.FromOptions(options);

        Assert.Equal(Id2, ring.CurrentKeyId);
        Assert.Equal(new[] { Id1, Id2 }, ring.KeyIds);
        Assert.Equal(Secret, ring.Decrypt(old, Context));
    }

    [Fact]
    public void FromOptions_without_keys_tells_how_to_configure_one()
    {
        var exception = Assert.Throws<StorageConfigurationException>(() => EncryptionKeyRing.FromOptions(new GatewayStorageOptions()));

        Assert.Contains("GatewayStorage:EncryptionKeys", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ENCRYPTION_KEY", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k1", "bm90LTMyLWJ5dGVz-hunter2", "not valid base64")]
    [InlineData("k1", "c2hvcnQta2V5LWh1bnRlcjI=", "exactly 32 bytes")]
    [InlineData("k1", "", "exactly 32 bytes")]
    [InlineData("bad id!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "invalid id")]
    public void FromOptions_rejects_a_malformed_key_naming_its_position_not_its_value(string id, string key, string reason)
    {
        var options = new GatewayStorageOptions();
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = id, Key = key });

        var exception = Assert.Throws<StorageConfigurationException>(() => EncryptionKeyRing.FromOptions(options));

        Assert.Contains("GatewayStorage:EncryptionKeys:0", exception.Message, StringComparison.Ordinal);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, exception.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_rejects_duplicate_ids()
    {
        var options = new GatewayStorageOptions();
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "k1", Key = Convert.ToBase64String(Key1) });
        options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = "k1", Key = Convert.ToBase64String(Key2) });

        var exception = Assert.Throws<StorageConfigurationException>(() => EncryptionKeyRing.FromOptions(options));

        Assert.Contains("GatewayStorage:EncryptionKeys:1", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Key2), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_ring_refuses_to_work()
    {
        var ring = Ring(("k1", Key1));
        var stored = ring.Encrypt(Secret, Context);

        ring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.Encrypt(Secret, Context));
        Assert.Throws<ObjectDisposedException>(() => ring.Decrypt(stored, Context));
        Assert.Throws<ObjectDisposedException>(() => ring.DeriveFromFirstKey("test"));
        ring.Dispose();
    }

    private static EncryptionKeyRing Ring(params (string Id, byte[] Key)[] keys) =>
        new(keys.Select(k => new KeyValuePair<string, byte[]>(k.Id, k.Key)));

    private static void AssertNoSecrets(Exception exception, string stored, string plaintext)
    {
        var text = exception.ToString();
        Assert.DoesNotContain(plaintext, text, StringComparison.Ordinal);
        var data = stored[(stored.LastIndexOf(':') + 1)..];
        if (data.Length >= 8)
        {
            Assert.DoesNotContain(data, text, StringComparison.Ordinal);
        }

        foreach (var key in new[] { Key1, Key2 })
        {
            Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(key), text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
