using System.Runtime.CompilerServices;
using System.Globalization;
using GatewayStorage.Security;

namespace GatewayStorage.Relational;

internal sealed class CredentialStore(StoreContext context) : ICredentialStore
{
    private const string TagsTable = "credential_tags";
    private const string TagLinksTable = "credential_tag_links";

    private const string CredentialsList = "credentials";
    private const string CredentialsTable = "credentials";
    private const string CredentialSecretColumn = "secret";
    private const int MaxCredentialUsernameLength = 200;

    /// <summary>The encrypted columns of the table, for key rotation.</summary>
    internal static readonly EncryptedColumn[] EncryptedColumns = [new(CredentialsTable, CredentialSecretColumn)];
    private const int MaxCredentialSecretLength = 4000;
    private const int MaxCredentialTagNameLength = 100;
    private const int MaxCredentialDescriptionLength = 1000;

    /// <inheritdoc />
    public async Task<Credential> CreateCredentialAsync(NewCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var (username, secret, description) = ValidateCredential(credential.Username, credential.Secret, credential.Description);
        var now = context.Now();
        var id = context.NewId(now);

        // Encrypted before the connection is opened: the ciphertext is bound to the row id chosen here.
        var stored = EncryptCredentialSecret(secret, id);
        var session = await context.WriteAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            await session.Sql(CredentialSql.Insert)
                .Guid("id", id)
                .Text("username", username)
                .Text("secret", stored)
                .Text("description", description)
                .Time("now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Credential(id, username, secret, description, 0, 0, null, now, now, 1);
    }

    /// <inheritdoc />
    public async Task<Credential?> GetCredentialAsync(Guid id, CancellationToken cancellationToken = default)
    {
        Credential? row;
        var session = await context.ReadAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            row = await session.Sql(CredentialSql.GetById).Guid("id", id)
                .QuerySingleOrDefaultAsync(CredentialSql.ReadCredentialRow, cancellationToken).ConfigureAwait(false);
        }

        return row is null ? null : DecryptCredential(row);
    }

    /// <inheritdoc />
    public async Task<Credential> UpdateCredentialAsync(Credential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var (username, secret, description) = ValidateCredential(credential.Username, credential.Secret, credential.Description);

        // A fresh nonce under the same row id: the new ciphertext stays bound to this row.
        var stored = EncryptCredentialSecret(secret, credential.Id);
        Credential? row;
        var session = await context.WriteAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            row = await session.Sql(CredentialSql.Update)
                .Guid("id", credential.Id)
                .Int64("version", credential.Version)
                .Text("username", username)
                .Text("secret", stored)
                .Text("description", description)
                .Time("now", context.Now())
                .QuerySingleOrDefaultAsync(CredentialSql.ReadCredentialRow, cancellationToken).ConfigureAwait(false);
        }

        // The row holds the ciphertext just written; the caller's plaintext is what it decrypts to.
        return row is not null
            ? row with { Secret = secret }
            : throw new ConcurrencyConflictException(nameof(Credential), credential.Id.ToString(), credential.Version);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // Tag links go with the credential through ON DELETE CASCADE, in the same statement.
            return await session.Sql(CredentialSql.Delete).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<Page<Credential>> ListCredentialsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = KeysetCursor.DecodeGuid(CredentialsList, page.Cursor);
        List<Credential> rows;
        var session = await context.ReadLagTolerantAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? CredentialSql.ListFirst : CredentialSql.ListAfter).Int32("limit", page.Limit + 1);
            if (after is { } afterId)
            {
                statement.Guid("after", afterId);
            }

            rows = await statement.QueryAsync(CredentialSql.ReadCredentialRow, cancellationToken).ConfigureAwait(false);
        }

        // Trimmed to the page before decrypting: the look-ahead row is never decrypted.
        var trimmed = KeysetCursor.ToPage(rows, page, CredentialsList, static r => r.Id.ToString());
        return new Page<Credential>([.. trimmed.Items.Select(DecryptCredential)], trimmed.NextCursor);
    }

    /// <inheritdoc />
    public async Task<bool> RecordCredentialUseAsync(Guid id, bool succeeded, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(CredentialsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(CredentialSql.RecordUse)
                .Guid("id", id)
                .Int64("success", succeeded ? 1 : 0)
                .Int64("failure", succeeded ? 0 : 1)
                .Time("now", context.Now())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<CredentialTag> CreateCredentialTagAsync(string name, string? description = null, CancellationToken cancellationToken = default)
    {
        Check.Name(name, nameof(name), MaxCredentialTagNameLength);
        Check.OptionalText(description, nameof(description), MaxCredentialDescriptionLength);
        var now = context.Now();
        var id = context.NewId(now);
        var session = await context.WriteAsync(TagsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // The unique index on normalized_name decides duplicates (DuplicateKeyException), not a prior read.
            await session.Sql(CredentialSql.InsertTag)
                .Guid("id", id)
                .Text("name", name)
                .Text("normalized_name", Check.Normalize(name))
                .Text("description", description)
                .Time("now", now)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return new CredentialTag(id, name, description, now);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CredentialTag>> ListCredentialTagsAsync(CancellationToken cancellationToken = default)
    {
        var session = await context.ReadLagTolerantAsync(TagsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(CredentialSql.ListTags)
                .QueryAsync(static (in Row r) => new CredentialTag(r.Guid(0), r.Text(1), r.NullableText(2), r.Time(3)), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteCredentialTagAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(TagsTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // Links go with the tag through ON DELETE CASCADE; the credentials stay.
            return await session.Sql(CredentialSql.DeleteTag).Guid("id", id).ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public Task TagCredentialAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken = default) =>
        context.WithReferencesAsync(
            TagCredentialCoreAsync(credentialId, tagId, priority, cancellationToken), cancellationToken,
            (nameof(Credential), "credentials", credentialId),
            (nameof(CredentialTag), "credential_tags", tagId));

    private async Task<int> TagCredentialCoreAsync(Guid credentialId, Guid tagId, int priority, CancellationToken cancellationToken, [CallerMemberName] string operation = "")
    {
        var session = await context.WriteAsync(TagLinksTable, cancellationToken, operation).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // ON CONFLICT … DO UPDATE: tagging again changes the priority of the one link.
            return await session.Sql(CredentialSql.Tag)
                .Guid("credential_id", credentialId)
                .Guid("tag_id", tagId)
                .Int32("priority", priority)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> UntagCredentialAsync(Guid credentialId, Guid tagId, CancellationToken cancellationToken = default)
    {
        var session = await context.WriteAsync(TagLinksTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await session.Sql(CredentialSql.Untag).Guid("credential_id", credentialId).Guid("tag_id", tagId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    /// <inheritdoc />
    public async Task<Page<TaggedCredential>> GetCredentialsForTagAsync(Guid tagId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        var list = "tag-credentials:" + tagId.ToString();
        var after = DecodeTagCursor(list, page.Cursor);
        List<TaggedCredential> rows;
        var session = await context.ReadLagTolerantAsync(TagLinksTable, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var statement = session.Sql(after is null ? CredentialSql.ForTagFirst : CredentialSql.ForTagAfter)
                .Guid("tag_id", tagId)
                .Int32("limit", page.Limit + 1);
            if (after is { } position)
            {
                statement.Int32("after_priority", position.Priority).Guid("after_id", position.Id);
            }

            rows = await statement.QueryAsync(static (in Row r) => new TaggedCredential(CredentialSql.ReadCredentialRow(in r), r.Int32(10)), cancellationToken)
                .ConfigureAwait(false);
        }

        var result = KeysetCursor.ToPage(rows, page, list,
            static t => t.Priority.ToString(CultureInfo.InvariantCulture) + "/" + t.Credential.Id.ToString("D"));

        // Decrypted after the connection went back to the pool: the reader never waits on the cipher.
        return result with { Items = [.. result.Items.Select(x => x with { Credential = DecryptCredential(x.Credential) })] };
    }

    /// <summary>Reads a cursor of <see cref="GetCredentialsForTagAsync"/>: the priority and id of the last row.</summary>
    private static (int Priority, Guid Id)? DecodeTagCursor(string list, string? cursor)
    {
        var key = KeysetCursor.Decode(list, cursor);
        if (key is null)
        {
            return null;
        }

        var separator = key.IndexOf('/', StringComparison.Ordinal);
        return separator > 0
            && int.TryParse(key.AsSpan(0, separator), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority)
            && Guid.TryParseExact(key.AsSpan(separator + 1), "D", out var id)
            ? (priority, id)
            : throw new ArgumentException($"The cursor does not belong to the {list} list.", nameof(PageRequest.Cursor));
    }

    private static (string Username, string Secret, string? Description) ValidateCredential(string? username, string? secret, string? description)
    {
        var validUsername = Check.Name(username, nameof(Credential.Username), MaxCredentialUsernameLength);
        var validSecret = Check.Secret(secret, nameof(Credential.Secret), MaxCredentialSecretLength);

        // A secret of white space only is a configuration mistake, not a password.
        if (string.IsNullOrWhiteSpace(validSecret))
        {
            throw new ArgumentException("The value must not be white space only.", nameof(Credential.Secret));
        }

        var validDescription = Check.OptionalText(description, nameof(Credential.Description), MaxCredentialDescriptionLength);
        return (validUsername, validSecret, validDescription);
    }

    private string EncryptCredentialSecret(string secret, Guid id) =>
        context.Secrets.Keys.Encrypt(secret, new SecretContext(CredentialsTable, id, CredentialSecretColumn));

    /// <summary>Replaces the stored ciphertext in a row read by <see cref="CredentialSql.ReadCredentialRow"/> with the secret.</summary>
    private Credential DecryptCredential(Credential row) =>
        row with { Secret = context.Decrypt(row.Secret, new SecretContext(CredentialsTable, row.Id, CredentialSecretColumn)) };

    /// <summary>Streams every credential as stored, in id order (see <see cref="IDataStreams.StreamCredentialsAsync"/>).</summary>
    public IAsyncEnumerable<CredentialRow> StreamCredentialsAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, CredentialsTable, CredentialSql.ListFirst, CredentialSql.ListAfter,
            static (in Row r) => new CredentialRow(
                r.Guid(0), r.Text(1), r.Text(2), r.NullableText(3), r.Int64(4), r.Int64(5), r.NullableTime(6), r.Time(7), r.Time(8), r.Int64(9)),
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);

    /// <summary>Streams every tag in id order (see <see cref="IDataStreams.StreamCredentialTagsAsync"/>).</summary>
    public IAsyncEnumerable<CredentialTag> StreamCredentialTagsAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, TagsTable, CredentialSql.StreamTagsFirst, CredentialSql.StreamTagsAfter,
            static (in Row r) => new CredentialTag(r.Guid(0), r.Text(1), r.NullableText(2), r.Time(3)),
            static (statement, last) => statement.Guid("after", last.Id), cancellationToken);

    /// <summary>Streams every credential-tag link (see <see cref="IDataStreams.StreamCredentialTagLinksAsync"/>).</summary>
    public IAsyncEnumerable<CredentialTagLink> StreamCredentialTagLinksAsync(CancellationToken cancellationToken) =>
        KeysetBatches.StreamAsync(context, TagLinksTable, CredentialSql.StreamLinksFirst, CredentialSql.StreamLinksAfter,
            static (in Row r) => new CredentialTagLink(r.Guid(0), r.Guid(1), r.Int32(2)),
            static (statement, last) => statement.Guid("after_credential", last.CredentialId).Guid("after_tag", last.TagId), cancellationToken);
}
