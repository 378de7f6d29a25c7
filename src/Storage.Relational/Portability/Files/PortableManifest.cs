using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>The manifest of a portable file: what wrote it, and per table the entry, columns, row count and digest.</summary>
internal sealed record PortableManifest(int FormatVersion, int SchemaVersion, DateTimeOffset CreatedAt, string SourceBackend, IReadOnlyList<PortableManifestTable> Tables)
{
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteString("format", PortableFormat.Name);
            json.WriteNumber("formatVersion", FormatVersion);
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("createdAt", PortableFormat.FormatTime(CreatedAt));
            json.WriteString("sourceBackend", SourceBackend);
            json.WriteStartArray("tables");
            foreach (var table in Tables)
            {
                json.WriteStartObject();
                json.WriteString("name", table.Name);
                json.WriteString("entry", table.Entry);
                json.WriteNumber("rows", table.Rows);
                json.WriteString("digest", table.Digest);
                json.WriteStartArray("columns");
                foreach (var column in table.Columns)
                {
                    json.WriteStringValue(column);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a manifest, refusing anything that is not one of this format or is of a newer format version.</summary>
    /// <exception cref="PortableFileException">The manifest is not valid.</exception>
    public static async Task<PortableManifest> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or EndOfStreamException)
        {
            throw Invalid("it is not valid JSON", ex);
        }

        using (document)
        {
            try
            {
                return Parse(document.RootElement);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
            {
                throw Invalid("a field is missing or of the wrong type", ex);
            }
        }
    }

    private static PortableManifest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
            || format.GetString() != PortableFormat.Name)
        {
            throw new PortableFileException(
                $"The file is not a GatewayStorage export: its {PortableFormat.ManifestEntry} does not say \"format\": \"{PortableFormat.Name}\".");
        }

        var formatVersion = root.GetProperty("formatVersion").GetInt32();
        if (formatVersion > PortableFormat.Version)
        {
            throw new PortableFileException(
                $"The file is in portable format version {formatVersion}, newer than this library reads (version {PortableFormat.Version}): " +
                "it was written by a newer GatewayStorage. Import it with that version (or newer).");
        }

        if (formatVersion < 1)
        {
            throw Invalid($"its format version ({formatVersion}) is not one GatewayStorage ever wrote");
        }

        var createdAt = root.GetProperty("createdAt").GetString() ?? throw new FormatException();
        if (!PortableFormat.TryParseTime(createdAt, out var created))
        {
            throw Invalid("its createdAt is not a time of the form 2024-01-31T12:00:00.000000Z");
        }

        var tables = root.GetProperty("tables").EnumerateArray().Select(static t => new PortableManifestTable(
            t.GetProperty("name").GetString() ?? throw new FormatException(),
            t.GetProperty("entry").GetString() ?? throw new FormatException(),
            t.GetProperty("rows").GetInt64(),
            t.GetProperty("digest").GetString() ?? throw new FormatException(),
            [.. t.GetProperty("columns").EnumerateArray().Select(static c => c.GetString() ?? throw new FormatException())])).ToList();
        return new PortableManifest(
            formatVersion, root.GetProperty("schemaVersion").GetInt32(), created, root.GetProperty("sourceBackend").GetString() ?? throw new FormatException(), tables);
    }

    /// <summary>
    /// Refuses a manifest whose tables are not exactly this library's, in its order, with its columns: a file at this
    /// schema version that lists other tables or columns was edited.
    /// </summary>
    public void CheckTables()
    {
        var expected = PortableTables.All;
        for (var i = 0; i < Math.Max(expected.Count, Tables.Count); i++)
        {
            var table = i < expected.Count ? expected[i] : null;
            var listed = i < Tables.Count ? Tables[i] : null;
            if (table is null || listed is null || listed.Name != table.Name)
            {
                var name = table?.Name ?? listed!.Name;
                throw new PortableFileException(
                    $"The file's manifest does not list the tables of schema version {SchemaVersion} in order: table {name} is " +
                    $"{(listed is null ? "missing" : table is null ? "not one of the schema's" : $"expected where {listed.Name} is")}. The manifest was edited.",
                    name);
            }

            if (listed.Entry != PortableFormat.EntryName(table) || listed.Rows < 0 || !listed.Columns.SequenceEqual(table.Columns.Select(c => c.Name)))
            {
                throw new PortableFileException(
                    $"The file's manifest lists table {table.Name} with another entry name, columns or a negative row count than schema version {SchemaVersion} has. The manifest was edited.",
                    table.Name);
            }
        }
    }

    private static PortableFileException Invalid(string why, Exception? inner = null) =>
        new($"The file's {PortableFormat.ManifestEntry} is not a valid manifest: {why}.", innerException: inner);
}
