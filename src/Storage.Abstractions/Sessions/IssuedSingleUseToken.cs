using System.Text;

namespace GatewayStorage;

/// <summary>A freshly issued single-use token and its value, which is returned this once.</summary>
/// <param name="Token">The stored token.</param>
/// <param name="Value">The token value to send (in a link, a state parameter); never shown by <see cref="ToString"/>.</param>
public sealed record IssuedSingleUseToken(SingleUseToken Token, string Value)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = ").Append(Token).Append(", Value = ").Append(Redaction.Mask);
        return true;
    }
}
