using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GatewayStorage.Relational;

/// <summary>
/// Writes the rows of one table as JSON Lines: per row one object with every column in table order, in its canonical
/// text form, then the per-line check (<see cref="TableDigest.LineCheck"/>), then a line feed. Rows are digested as
/// they are written.
/// </summary>
internal sealed class PortableRowWriter : IDisposable
{
    // Lines are gathered and written in blocks of about this size: one write per row would cost more than the row.
    private const int FlushBytes = 1 << 16;

    private static readonly JsonWriterOptions Options = new()
    {
        // A data file, never embedded in HTML: non-ASCII text stays readable UTF-8 instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonEncodedText Check = JsonEncodedText.Encode(PortableFormat.CheckMember);

    private readonly Stream _stream;
    private readonly PortableTable _table;
    private readonly JsonEncodedText[] _names;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushBytes * 2);
    private readonly Utf8JsonWriter _json;

    public PortableRowWriter(Stream stream, PortableTable table)
    {
        _stream = stream;
        _table = table;
        _names = [.. table.Columns.Select(c => JsonEncodedText.Encode(c.Name))];
        _json = new Utf8JsonWriter(_buffer, Options);
        Digest = new TableDigest(table);
    }

    /// <summary>The digest and count of the rows written so far.</summary>
    public TableDigest Digest { get; }

    public async ValueTask WriteAsync(object?[] row, CancellationToken cancellationToken)
    {
        Digest.Append(row);
        var columns = _table.Columns;
        _json.WriteStartObject();
        for (var i = 0; i < row.Length; i++)
        {
            _json.WritePropertyName(_names[i]);
            var value = row[i];
            if (value is null)
            {
                _json.WriteNullValue();
                continue;
            }

            switch (columns[i].Kind)
            {
                case ColumnKind.Guid:
                    _json.WriteStringValue((Guid)value);
                    break;
                case ColumnKind.Text:
                case ColumnKind.Json:
                    _json.WriteStringValue((string)value);
                    break;
                case ColumnKind.Int32:
                    _json.WriteNumberValue((int)value);
                    break;
                case ColumnKind.Int64:
                    _json.WriteNumberValue((long)value);
                    break;
                case ColumnKind.Boolean:
                    _json.WriteBooleanValue((bool)value);
                    break;
                case ColumnKind.Time:
                    _json.WriteStringValue(PortableFormat.FormatTime((DateTimeOffset)value));
                    break;
                case ColumnKind.Bytes:
                    _json.WriteBase64StringValue((byte[])value);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown column kind {columns[i].Kind}.");
            }
        }

        _json.WriteString(Check, Digest.LineCheck());
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= FlushBytes)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
    }

    public void Dispose()
    {
        _json.Dispose();
        Digest.Dispose();
    }
}
