using System.Text;

namespace GatewayStorage;

/// <summary>What is needed to create a credential.</summary>
/// <param name="Username">The username, 1 to 200 characters.</param>
/// <param name="Secret">The secret, 1 to 4,000 characters; stored encrypted.</param>
/// <param name="Description">What the credential is for, at most 1,000 characters.</param>
public sealed record NewCredential(string Username, string Secret, string? Description = null)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username)
            .Append(", Secret = ").Append(Redaction.Mask)
            .Append(", Description = ").Append(Description);
        return true;
    }
}
