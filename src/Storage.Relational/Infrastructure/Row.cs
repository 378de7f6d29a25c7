using System.Data.Common;

namespace GatewayStorage.Relational;

/// <summary>The current row of a result, read through the dialect's type mapping.</summary>
internal readonly struct Row(DbDataReader reader, SqlDialect dialect)
{
    public Guid Guid(int ordinal) => dialect.ReadGuid(reader, ordinal);

    public Guid? NullableGuid(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadGuid(reader, ordinal);

    public string Text(int ordinal) => reader.GetString(ordinal);

    public string? NullableText(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public long Int64(int ordinal) => reader.GetInt64(ordinal);

    public int Int32(int ordinal) => reader.GetInt32(ordinal);

    public bool Boolean(int ordinal) => dialect.ReadBoolean(reader, ordinal);

    public DateTimeOffset Time(int ordinal) => dialect.ReadTimestamp(reader, ordinal);

    public DateTimeOffset? NullableTime(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadTimestamp(reader, ordinal);

    public string Json(int ordinal) => dialect.ReadJson(reader, ordinal);

    public string? NullableJson(int ordinal) => reader.IsDBNull(ordinal) ? null : dialect.ReadJson(reader, ordinal);

    public byte[] Bytes(int ordinal) => dialect.ReadBytes(reader, ordinal);

    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);
}
