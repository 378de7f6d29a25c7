using System.Text;

namespace GatewayStorage;

/// <summary>A freshly created API key and its secret, which is shown this once and never again.</summary>
/// <param name="Key">The stored key.</param>
/// <param name="Secret">The full key to hand to the user, <c>&lt;prefix&gt;_&lt;public id&gt;_&lt;secret&gt;</c>; never shown by <see cref="ToString"/>.</param>
public sealed record CreatedApiKey(ApiKey Key, string Secret)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key).Append(", Secret = ").Append(Redaction.Mask);
        return true;
    }
}
