using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>
/// Reads the JSON Lines stream of one table back into raw rows (the values <see cref="RawRows"/> reads), validating
/// every line: its shape (every column in order, then the check), each value's type and canonical form, nulls only
/// where the column allows them, and its per-line check; at the end, the row count and digest the manifest lists.
/// Lines are read into one reused buffer, so memory stays flat.
/// </summary>
internal static class PortableRowReader
{
    private const int ChunkBytes = 1 << 16;

    /// <summary>Streams the rows of <paramref name="table"/> from <paramref name="stream"/>.</summary>
    /// <exception cref="PortableFileException">A line, the count or the digest does not match: names the table and line.</exception>
    public static async IAsyncEnumerable<object?[]> ReadAsync(
        Stream stream, PortableTable table, PortableManifestTable expected, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var names = table.Columns.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Name)).ToArray();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        using var digest = new TableDigest(table);
        try
        {
            int start = 0, end = 0;
            var line = 0L;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line++;
                    if (line > expected.Rows)
                    {
                        throw new PortableFileException(
                            $"Table {table.Name} holds more rows than its manifest lists ({expected.Rows}): line {line} is one too many. The file was edited.",
                            table.Name, line);
                    }

                    var row = Decode(buffer.AsSpan(start, newline), table, names, line, digest);
                    start += newline + 1;
                    yield return row;
                    continue;
                }

                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= PortableFormat.MaxLineBytes)
                    {
                        throw new PortableFileException(
                            $"Line {line + 1} of table {table.Name} is longer than any row this library writes ({PortableFormat.MaxLineBytes} bytes). The file is damaged.",
                            table.Name, line + 1);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await ReadChunkAsync(stream, buffer.AsMemory(end), table, line + 1, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (end > 0)
                    {
                        throw Truncated(table, expected, line + 1, $"line {line + 1} stops before its end");
                    }

                    break;
                }

                end += read;
            }

            if (line != expected.Rows)
            {
                throw Truncated(table, expected, line + 1, $"the stream ends after line {line}");
            }

            if (digest.Finish() != expected.Digest)
            {
                throw new PortableFileException(
                    $"Table {table.Name} does not match the digest its manifest lists, though every line matches its check: the manifest was edited.",
                    table.Name);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<int> ReadChunkAsync(Stream stream, Memory<byte> into, PortableTable table, long line, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new PortableFileException(
                $"Table {table.Name} could not be read at line {line}: the archive is damaged or truncated ({ex.GetType().Name}). Export it again.",
                table.Name, line, ex);
        }
    }

    private static PortableFileException Truncated(PortableTable table, PortableManifestTable expected, long line, string what) =>
        new($"Table {table.Name} is cut short: its manifest lists {expected.Rows} rows, and {what}. The file is truncated; export it again.", table.Name, line);

    private static object?[] Decode(ReadOnlySpan<byte> text, PortableTable table, byte[][] names, long line, TableDigest digest)
    {
        var columns = table.Columns;
        var row = new object?[columns.Count];
        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 1 });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, table, line, "a JSON object");
            for (var i = 0; i < row.Length; i++)
            {
                var column = columns[i];
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(names[i]))
                {
                    throw Bad(table, line, $"column {column.Name} is not where it belongs (column {i + 1} of {row.Length})");
                }

                reader.Read();
                row[i] = Value(ref reader, column, table, line);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(PortableFormat.CheckMember)
                || !reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw Bad(table, line, $"the line check (\"{PortableFormat.CheckMember}\") does not follow the last column");
            }

            var check = reader.GetString();
            Expect(ref reader, JsonTokenType.EndObject, table, line, "the end of the object after the line check");
            if (reader.Read())
            {
                throw Bad(table, line, "something follows the row's object");
            }

            digest.Append(row);
            if (check != digest.LineCheck())
            {
                throw new PortableFileException(
                    $"Line {line} of table {table.Name} does not match its check: the row was edited, or a row before it was removed or added. The file was edited.",
                    table.Name, line);
            }

            return row;
        }
        catch (JsonException ex)
        {
            throw new PortableFileException($"Line {line} of table {table.Name} is not valid JSON. The file is damaged.", table.Name, line, ex);
        }
    }

    private static object? Value(ref Utf8JsonReader reader, PortableColumn column, PortableTable table, long line)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return column.Nullable ? null : throw Bad(table, line, $"column {column.Name} is null, which it may not be");
        }

        object? value = column.Kind switch
        {
            ColumnKind.Guid when reader.TokenType == JsonTokenType.String && Guid.TryParseExact(reader.GetString(), "D", out var id)
                && reader.ValueTextEquals(id.ToString("D")) => id,
            ColumnKind.Text or ColumnKind.Json when reader.TokenType == JsonTokenType.String => reader.GetString(),
            ColumnKind.Int32 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) => number,
            ColumnKind.Int64 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) => number,
            ColumnKind.Boolean when reader.TokenType is JsonTokenType.True or JsonTokenType.False => reader.GetBoolean(),
            ColumnKind.Time when reader.TokenType == JsonTokenType.String && PortableFormat.TryParseTime(reader.GetString()!, out var time) => time,
            ColumnKind.Bytes when reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes) => bytes,
            _ => null,
        };
        return value ?? throw Bad(table, line, $"column {column.Name} is not a {Describe(column.Kind)}");
    }

    private static string Describe(ColumnKind kind) => kind switch
    {
        ColumnKind.Guid => "lower-case UUID string",
        ColumnKind.Text => "string",
        ColumnKind.Json => "string of JSON text",
        ColumnKind.Int32 => "32-bit integer",
        ColumnKind.Int64 => "64-bit integer",
        ColumnKind.Boolean => "boolean",
        ColumnKind.Time => "time string of the form 2024-01-31T12:00:00.000000Z",
        _ => "base64 string",
    };

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, PortableTable table, long line, string what)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw Bad(table, line, $"{what} is expected");
        }
    }

    private static PortableFileException Bad(PortableTable table, long line, string why) =>
        new($"Line {line} of table {table.Name} is not a row of this format: {why}. The file was edited or is damaged.", table.Name, line);
}
