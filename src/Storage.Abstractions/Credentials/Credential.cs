using System.Text;

namespace GatewayStorage;

/// <summary>A stored credential (a username and a secret) the gateway uses to reach another system.</summary>
/// <param name="Id">The credential's id.</param>
/// <param name="Username">The username.</param>
/// <param name="Secret">The secret (password, token); stored encrypted and never shown by <see cref="ToString"/>.</param>
/// <param name="Description">What the credential is for, if stated.</param>
/// <param name="SuccessCount">How many uses succeeded.</param>
/// <param name="FailureCount">How many uses failed.</param>
/// <param name="LastUsedAt">When the credential was last used, if ever.</param>
/// <param name="CreatedAt">When the credential was created.</param>
/// <param name="UpdatedAt">When the credential last changed.</param>
/// <param name="Version">The optimistic-concurrency version.</param>
public sealed record Credential(
    Guid Id,
    string Username,
    string Secret,
    string? Description,
    long SuccessCount,
    long FailureCount,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", Username = ").Append(Username)
            .Append(", Secret = ").Append(Redaction.Mask)
            .Append(", Description = ").Append(Description)
            .Append(", Version = ").Append(Version);
        return true;
    }
}
