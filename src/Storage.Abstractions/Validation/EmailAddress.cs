namespace GatewayStorage;

/// <summary>The email rule: one <c>@</c>, a local part of 1 to 64 and a domain of 1 to 253 characters, no white space or control characters, valid Unicode, at most 254 in all.</summary>
internal static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>Checks an email and returns it unchanged.</summary>
    public static string Validate(string? email, string paramName)
    {
        ArgumentNullException.ThrowIfNull(email, paramName);
        ArgumentException.ThrowIfNullOrWhiteSpace(email, paramName);
        if (email.Length > MaxLength)
        {
            throw new ArgumentException($"The email is {email.Length} characters long; at most {MaxLength} are allowed.", paramName);
        }

        Check.Storable(email, paramName);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1)
        {
            throw new ArgumentException("The email must have the form local@domain.", paramName);
        }

        if (at > 64)
        {
            throw new ArgumentException("The local part of the email (before '@') may be at most 64 characters.", paramName);
        }

        foreach (var c in email)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '(' or ')' or '[' or ']' or ',' or ';' or ':' or '\\' or '"')
            {
                throw new ArgumentException("The email contains a character that is not allowed (white space, a control character or one of <>()[],;:\\\").", paramName);
            }
        }

        var domain = email.AsSpan(at + 1);
        if (domain[0] == '.' || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal) ||
            email[0] == '.' || email[at - 1] == '.')
        {
            throw new ArgumentException("The email has a misplaced dot.", paramName);
        }

        return email;
    }
}
