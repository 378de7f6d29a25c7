using System.Buffers.Text;
using System.Security.Cryptography;
using GatewayStorage.Security;

namespace GatewayStorage.Tests.Security;

public sealed class OpaqueTokenTests
{
    [Fact]
    public void Generate_returns_43_characters_of_base64url_for_32_random_bytes()
    {
        var token = OpaqueToken.Generate();

        Assert.Equal(43, token.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
        Assert.True(OpaqueToken.IsWellFormed(token));
    }

    [Fact]
    public void Generated_tokens_are_distinct_and_well_formed()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => OpaqueToken.Generate()).ToList();

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, token => Assert.True(OpaqueToken.IsWellFormed(token)));
    }

    [Fact]
    public void Hash_is_SHA256_of_the_token_and_is_stable()
    {
        var token = OpaqueToken.Generate();

        var hash = OpaqueToken.Hash(token);

        Assert.Equal(32, hash.Length);
        Assert.Equal(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)), hash);
        Assert.Equal(hash, OpaqueToken.Hash(token));
        Assert.NotEqual(hash, OpaqueToken.Hash(OpaqueToken.Generate()));
        Assert.Equal(32, OpaqueToken.Hash(new string('x', 10_000)).Length);
    }

    public static TheoryData<string> MalformedTokens()
    {
        var token = OpaqueToken.Generate();
        return new()
        {
            "",
            token[..^1],
            token + "A",
            token[..^1] + "=",
            token[..^1] + "B",
            token[..^1] + "+",
            "+" + token[1..],
            "/" + token[1..],
            " " + token[1..],
            token[..20] + "é" + token[21..],
            new string('A', 10_000),
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void IsWellFormed_rejects_malformed_tokens(string token)
    {
        Assert.False(OpaqueToken.IsWellFormed(token));
    }
}
