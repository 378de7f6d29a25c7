using System.Text;

namespace GatewayStorage;

/// <summary>A new session and its token, which is returned this once (only its hash is stored).</summary>
/// <param name="Session">The stored session.</param>
/// <param name="Token">The session token to give the client; never shown by <see cref="ToString"/>.</param>
public sealed record CreatedLoginSession(LoginSession Session, string Token)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Session = ").Append(Session).Append(", Token = ").Append(Redaction.Mask);
        return true;
    }
}
