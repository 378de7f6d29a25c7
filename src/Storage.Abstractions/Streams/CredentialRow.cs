using System.Text;

namespace GatewayStorage;

/// <summary>
/// A credential as stored: the secret is the stored ciphertext, never the secret. The ciphertext is bound to this
/// row's id and column, so it decrypts only in a row with the same id.
/// </summary>
/// <param name="Id">The credential's id.</param>
/// <param name="Username">The username.</param>
/// <param name="SecretCiphertext">The encrypted secret, as stored.</param>
/// <param name="Description">The description, if any.</param>
/// <param name="SuccessCount">How many uses succeeded.</param>
/// <param name="FailureCount">How many uses failed.</param>
/// <param name="LastUsedAt">When the credential was last used, if ever.</param>
/// <param name="CreatedAt">When the credential was created.</param>
/// <param name="UpdatedAt">When the credential was last changed.</param>
/// <param name="Version">The version, incremented by every change.</param>
public sealed record CredentialRow(
    Guid Id,
    string Username,
    string SecretCiphertext,
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
            .Append(", SecretCiphertext = ").Append(Redaction.Mask)
            .Append(", Version = ").Append(Version);
        return true;
    }
}
