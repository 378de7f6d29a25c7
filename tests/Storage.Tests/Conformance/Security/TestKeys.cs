using System.Security.Cryptography;

namespace GatewayStorage.Tests.Conformance.Security;

/// <summary>
/// Encryption keys and secrets for the key tests, each registered with the fixture so that a test fails when one
/// reaches a log line, an exception or a raw column.
/// </summary>
internal static class TestKeys
{
    /// <summary>A new random 256-bit key, base64.</summary>
    public static string NewKey(this IStorageFixture fixture)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        fixture.RegisterSecret(key);
        return key;
    }

    /// <summary>A new secret value of the given kind, unique to the call.</summary>
    public static string NewSecret(this IStorageFixture fixture, string kind)
    {
        var secret = $"{kind}-{Guid.NewGuid():N}";
        fixture.RegisterSecret(secret);
        return secret;
    }

    /// <summary>Keys as if from <c>GatewayStorage:EncryptionKeys</c>, in order; the last encrypts.</summary>
    public static Action<GatewayStorageOptions> Ring(params string[] keys) => options =>
    {
        options.EncryptionKeys.Clear();
        for (var i = 0; i < keys.Length; i++)
        {
            options.EncryptionKeys.Add(new EncryptionKeyOptions { Id = $"k{i}", Key = keys[i] });
        }
    };
}
