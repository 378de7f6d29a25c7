using System.Text;

namespace GatewayStorage.Security;

/// <summary>
/// Where an encrypted value lives: its table, row and column. It is the associated data of AES-GCM, so a
/// ciphertext copied to another row, column or table fails to decrypt instead of yielding someone else's secret.
/// </summary>
/// <param name="Table">The table name, e.g. <c>oauth_tokens</c>. Must not contain U+0000.</param>
/// <param name="RowId">The id of the row that owns the value.</param>
/// <param name="Column">The column name, e.g. <c>access_token</c>.</param>
internal readonly record struct SecretContext(string Table, Guid RowId, string Column)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The number of bytes <see cref="WriteAssociatedData"/> writes.</summary>
    public int AssociatedDataLength
    {
        get
        {
            Validate();
            return Utf8.GetByteCount(Table) + 1 + 16 + Utf8.GetByteCount(Column);
        }
    }

    /// <summary>
    /// Writes the associated data: UTF-8 of <see cref="Table"/>, a 0x00 byte, the 16 big-endian bytes of
    /// <see cref="RowId"/>, then UTF-8 of <see cref="Column"/>. The table cannot contain 0x00 and the row id has a
    /// fixed length, so two different contexts never produce the same bytes.
    /// </summary>
    /// <param name="destination">At least <see cref="AssociatedDataLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    public int WriteAssociatedData(Span<byte> destination)
    {
        Validate();
        var written = Utf8.GetBytes(Table, destination);
        destination[written++] = 0;
        if (!RowId.TryWriteBytes(destination[written..], bigEndian: true, out var guidBytes))
        {
            throw new ArgumentException("The destination is too short for the associated data.", nameof(destination));
        }

        written += guidBytes;
        written += Utf8.GetBytes(Column, destination[written..]);
        return written;
    }

    /// <summary>The entity the row holds, in words: <c>OAuth provider</c> for <c>oauth_providers</c>, and so on.</summary>
    public string Entity => Table switch
    {
        "oauth_providers" => "OAuth provider",
        "oauth_tokens" => "OAuth token",
        "credentials" => "credential",
        _ => Table,
    };

    /// <summary>Names the row for messages, never its value: <c>OAuth provider 0190… (column oauth_providers.client_secret)</c>.</summary>
    /// <returns>The entity, row id, table and column.</returns>
    public override string ToString() => $"{Entity} {RowId} (column {Table}.{Column})";

    private void Validate()
    {
        // A default(SecretContext) has null names; refuse it rather than bind ciphertexts to an empty context.
        if (string.IsNullOrEmpty(Table) || string.IsNullOrEmpty(Column))
        {
            throw new ArgumentException("A secret context needs a table and a column name.");
        }

        if (Table.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A secret context's table name must not contain U+0000.");
        }
    }
}
