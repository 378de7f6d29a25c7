using System.Security.Cryptography;

namespace GatewayStorage.Relational;

/// <summary>What a copy checks before it writes anything: the schema versions, an empty target, and the key check values.</summary>
internal static class CopyPreconditions
{
    public const string ListKeyChecks = "SELECT key_id, purpose, check_value FROM key_checks";

    public const string DeleteKeyChecks = "DELETE FROM key_checks";

    /// <summary>Refuses the copy unless both databases are at the same schema version, this library's latest.</summary>
    /// <exception cref="DatabaseCopyRefusedException">The versions differ, or are not this library's.</exception>
    public static async Task CheckSchemaAsync(StoreContext source, StoreContext target, CancellationToken cancellationToken)
    {
        var sourceVersion = await source.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var targetVersion = await target.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (sourceVersion != targetVersion)
        {
            var (behind, name) = sourceVersion > targetVersion ? ("target", target.Dialect.BackendName) : ("source", source.Dialect.BackendName);
            throw new DatabaseCopyRefusedException(
                $"The copy was refused: the source ({source.Dialect.BackendName}) is at schema version {sourceVersion} and the target " +
                $"({target.Dialect.BackendName}) at schema version {targetVersion}. Migrate the {behind} ({name}) database first " +
                "(IDatabaseLifecycle.MigrateAsync) so that both are at the same version. Nothing was written.");
        }

        // The copy reads and writes the columns of this library's schema: an older or newer pair would not match them.
        var latest = target.Migrations.LatestVersion;
        if (sourceVersion != latest)
        {
            throw new DatabaseCopyRefusedException(
                $"The copy was refused: both databases are at schema version {sourceVersion}, and this library copies schema version " +
                $"{latest}. {(sourceVersion < latest ? "Migrate both databases (IDatabaseLifecycle.MigrateAsync) first." : "Use the library version that wrote them.")} Nothing was written.");
        }
    }

    /// <summary>Refuses an export unless the source is at this library's schema version, the one whose columns it writes.</summary>
    /// <exception cref="DatabaseCopyRefusedException">The source is at another version.</exception>
    public static async Task CheckExportSchemaAsync(StoreContext source, CancellationToken cancellationToken)
    {
        var version = await source.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var latest = source.Migrations.LatestVersion;
        if (version != latest)
        {
            throw new DatabaseCopyRefusedException(
                $"The export was refused: the {source.Dialect.BackendName} database is at schema version {version}, and this library exports " +
                $"schema version {latest}. {(version < latest ? "Migrate it (IDatabaseLifecycle.MigrateAsync) first." : "Use the library version that wrote it.")}");
        }
    }

    /// <summary>Refuses an import unless the file, the target and this library are all at one schema version.</summary>
    /// <exception cref="DatabaseCopyRefusedException">A version differs.</exception>
    public static async Task CheckImportSchemaAsync(int fileVersion, StoreContext target, CancellationToken cancellationToken)
    {
        var latest = target.Migrations.LatestVersion;
        if (fileVersion != latest)
        {
            throw new DatabaseCopyRefusedException(
                $"The import was refused: the file holds schema version {fileVersion}, and this library imports schema version {latest}. " +
                (fileVersion < latest
                    ? "Import it with the library version that wrote it, migrate that database, and export it again."
                    : "Import it with the newer library version that wrote it.") + " Nothing was written.");
        }

        var targetVersion = await target.Migrations.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        if (targetVersion != latest)
        {
            throw new DatabaseCopyRefusedException(
                $"The import was refused: the file holds schema version {fileVersion}, and the target ({target.Dialect.BackendName}) is at schema version " +
                $"{targetVersion}. {(targetVersion < latest ? "Migrate the target (IDatabaseLifecycle.MigrateAsync) first." : "Use the library version that migrated it.")} Nothing was written.");
        }
    }

    /// <summary>The checks of <see cref="CheckTargetAsync"/> on a read session, for a dry run that writes nothing.</summary>
    public static async Task CheckTargetReadOnlyAsync(
        StoreContext target, List<(string KeyId, string Purpose, byte[] Check)> sourceChecks, bool skipExisting, CancellationToken cancellationToken)
    {
        var readSession = await target.OpenRawAsync(SessionKind.Read, cancellationToken).ConfigureAwait(false);
        await using (readSession.ConfigureAwait(false))
        {
            await CheckTargetAsync(readSession, sourceChecks, skipExisting, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The key check values a database recorded.</summary>
    public static Task<List<(string KeyId, string Purpose, byte[] Check)>> ReadKeyChecksAsync(DbSession session, CancellationToken cancellationToken) =>
        session.Sql(ListKeyChecks).QueryAsync(static (in Row r) => (KeyId: r.Text(0), Purpose: r.Text(1), Check: r.Bytes(2)), cancellationToken);

    /// <summary>
    /// Refuses a target that holds rows (unless existing rows are to be skipped) or check values for keys the source
    /// does not have: its data, or the keys it was set up with, would not be readable together with the copied data.
    /// </summary>
    /// <exception cref="DatabaseCopyRefusedException">The target is not fit to receive the copy.</exception>
    public static async Task CheckTargetAsync(
        DbSession target, List<(string KeyId, string Purpose, byte[] Check)> sourceChecks, bool skipExisting, CancellationToken cancellationToken)
    {
        var targetChecks = await ReadKeyChecksAsync(target, cancellationToken).ConfigureAwait(false);
        var foreign = targetChecks
            .Where(t => !sourceChecks.Exists(s => s.KeyId == t.KeyId && s.Purpose == t.Purpose && CryptographicOperations.FixedTimeEquals(s.Check, t.Check)))
            .Select(t => $"{t.Purpose} key {t.KeyId}")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (foreign.Count > 0)
        {
            throw new DatabaseCopyRefusedException(
                $"The copy was refused: the target database already recorded check values for keys the source does not have " +
                $"({string.Join(", ", foreign)}). It was opened with other encryption or API-key hashing keys than the source's: " +
                "the copied secrets would not decrypt and the copied API keys would not verify there. Copy into a database that " +
                "was never opened with other keys (a fresh one, migrated only), and configure the target with the source's keys. Nothing was written.");
        }

        if (skipExisting)
        {
            return;
        }

        var occupied = new List<string>();
        foreach (var table in PortableTables.All)
        {
            if (table.Name != PortableTables.KeyChecks
                && await target.Sql(table.AnyRowSql).QuerySingleOrDefaultAsync(static (in Row r) => true, cancellationToken).ConfigureAwait(false))
            {
                occupied.Add(table.Name);
            }
        }

        if (occupied.Count > 0)
        {
            throw new DatabaseCopyRefusedException(
                $"The copy was refused: the target database is not empty (it holds rows in {string.Join(", ", occupied)}). Copy into an " +
                "empty database, or ask to skip the rows that already exist (DatabaseCopyOptions.SkipExisting). Nothing was written.");
        }
    }

    /// <summary>
    /// What the target provider, as configured, could not do with the copied rows: decrypt them (none of the source's
    /// encryption key ids is configured) or verify the API keys (another API-key hashing key). Fingerprints only.
    /// </summary>
    public static List<string> KeyWarnings(StoreContext target, List<(string KeyId, string Purpose, byte[] Check)> sourceChecks)
    {
        var warnings = new List<string>();
        var encryption = sourceChecks.Where(c => c.Purpose == KeyCheck.EncryptionPurpose).Select(c => c.KeyId).Order(StringComparer.Ordinal).ToList();
        if (encryption.Count > 0 && !encryption.Exists(target.Secrets.Keys.KeyIds.Contains))
        {
            warnings.Add(
                $"The source's secrets are encrypted under key {string.Join(", ", encryption)}, which the target provider is not " +
                $"configured with: they will not decrypt there. Configure the target with the source's encryption keys " +
                $"({GatewayStorageOptions.SectionName}:EncryptionKeys, {GatewayStorageOptions.EncryptionKeyVariable} or the key file).");
        }

        var hashing = sourceChecks.Where(c => c.Purpose == KeyCheck.ApiKeyHashPurpose).Select(c => c.KeyId).ToList();
        if (hashing.Count > 0 && !hashing.Contains(target.Secrets.ApiKeyHasher.KeyId))
        {
            warnings.Add(
                $"The source's API keys are hashed under API-key hashing key {string.Join(", ", hashing)}, but the target provider " +
                $"is configured with {target.Secrets.ApiKeyHasher.KeyId}: no copied API key would verify there, and the target " +
                $"would refuse to start. Set {GatewayStorageOptions.SectionName}:ApiKeyHashKey on the target to the source's key " +
                "or, when it is not set, give the target the same first encryption key as the source.");
        }

        return warnings;
    }
}
