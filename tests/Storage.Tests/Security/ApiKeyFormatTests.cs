using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class ApiKeyFormatTests
{
    private const string Prefix = "gsk";

    [Fact]
    public void Generate_returns_prefix_public_id_and_secret_joined_by_underscores()
    {
        var key = ApiKeyFormat.Generate(Prefix);

        Assert.Equal(12, key.PublicId.Length);
        Assert.Equal(52, key.Secret.Length);
        Assert.Equal($"gsk_{key.PublicId}_{key.Secret}", key.FullKey);
        Assert.Equal(3 + 1 + 12 + 1 + 52, key.FullKey.Length);
        Assert.All(key.PublicId + key.Secret, c => Assert.Contains(c, ApiKeyFormat.Alphabet));
        Assert.Equal(3, key.FullKey.Split('_').Length);
    }

    [Fact]
    public void A_thousand_generated_keys_are_distinct_in_public_id_and_secret()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeyFormat.Generate(Prefix)).ToList();

        Assert.Equal(1000, keys.Select(k => k.PublicId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(1000, keys.Select(k => k.Secret).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generated_keys_use_the_whole_alphabet()
    {
        var used = new HashSet<char>(Enumerable.Range(0, 200).SelectMany(_ => ApiKeyFormat.Generate(Prefix).Secret));

        Assert.Equal(ApiKeyFormat.Alphabet.Length, used.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GSK")]
    [InlineData("gs_k")]
    [InlineData("gs-k")]
    [InlineData("abcdefghijklmnopq")]
    public void Generate_rejects_a_malformed_prefix(string prefix)
    {
        Assert.Throws<ArgumentException>(() => ApiKeyFormat.Generate(prefix));
    }

    [Fact]
    public void TryParse_accepts_generated_keys_and_returns_their_parts()
    {
        foreach (var prefix in new[] { "gsk", "a", "abcdefghijklmnop", "k2" })
        {
            for (var i = 0; i < 100; i++)
            {
                var key = ApiKeyFormat.Generate(prefix);

                Assert.True(ApiKeyFormat.TryParse(key.FullKey, prefix, out var publicId, out var secret));
                Assert.Equal(key.PublicId, publicId);
                Assert.Equal(key.Secret, secret.ToString());
            }
        }
    }

    public static TheoryData<string> MalformedKeys()
    {
        var key = ApiKeyFormat.Generate(Prefix);
        return new()
        {
            "",
            "gsk",
            "gsk_",
            "gsk__",
            $"other_{key.PublicId}_{key.Secret}",
            $"gsK_{key.PublicId}_{key.Secret}",
            $"gs_{key.PublicId}_{key.Secret}",
            $"gskx{key.PublicId}_{key.Secret}",
            $"gsk_{key.PublicId}{key.Secret}",
            $"gsk_{key.PublicId}_{key.Secret}_",
            $"gsk_{key.PublicId}_{key.Secret}_extra",
            $"gsk_{key.PublicId}__{key.Secret[1..]}",
            $"gsk_{key.PublicId[..11]}__{key.Secret}",
            $"gsk_{key.PublicId}_{key.Secret[..^1]}",
            $"gsk_{key.PublicId}_{key.Secret}a",
            $"gsk_{key.PublicId[..^1]}_{key.Secret}",
            $"gsk_{key.PublicId.ToUpperInvariant()}_{key.Secret}",
            $"gsk_{key.PublicId}_{key.Secret[..^1]}1",
            $"gsk_{key.PublicId}_{key.Secret[..^1]}-",
            $"gsk_{key.PublicId}_{key.Secret[..^1]}=",
            $"gsk_{key.PublicId[..^1]}8_{key.Secret}",
            $"gsk_{key.PublicId}_{key.Secret[..^1]}é",
            $" gsk_{key.PublicId}_{key.Secret}",
            $"gsk_{key.PublicId}_{key.Secret[1..]} ",
            $"Bearer gsk_{key.PublicId}_{key.Secret}",
            key.FullKey[..^10],
            new string('a', 10_000),
            "gsk_" + new string('a', 9_996),
        };
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void TryParse_rejects_malformed_keys(string presented)
    {
        Assert.False(ApiKeyFormat.TryParse(presented, Prefix, out var publicId, out var secret));
        Assert.Equal("", publicId);
        Assert.True(secret.IsEmpty);
    }

    [Fact]
    public void TryParse_rejects_a_key_with_another_prefix_of_the_same_length()
    {
        var key = ApiKeyFormat.Generate("abc");

        Assert.False(ApiKeyFormat.TryParse(key.FullKey, Prefix, out _, out _));
    }

    [Fact]
    public void ToString_shows_the_public_id_but_neither_the_secret_nor_the_full_key()
    {
        var key = ApiKeyFormat.Generate(Prefix);

        var text = key.ToString();

        Assert.Contains(key.PublicId, text, StringComparison.Ordinal);
        Assert.Contains(Redaction.Mask, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key.FullKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret[..8], $"{key}", StringComparison.Ordinal);
    }
}
