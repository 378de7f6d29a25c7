using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Benchmarks.Copy;

/// <summary>
/// The floor of the copy benchmark, written by hand: each of the three tables read from SQLite with a plain data
/// reader, converted from SQLite's storage forms, and written with <see cref="NpgsqlBinaryImporter"/>, in one
/// transaction. No digest, no verification, no other table: the least a copy of these rows can do.
/// </summary>
internal static class CopyFloor
{
    private static readonly (string Table, string Columns, NpgsqlDbType[] Types)[] Tables =
    [
        ("users", "id, email, normalized_email, display_name, is_active, created_at, updated_at, last_login_at, version",
            [NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Boolean, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.Bigint]),
        ("api_keys", "id, user_id, name, public_id, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at",
            [NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Bytea, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz]),
        ("audit_log", "id, occurred_at, actor, action, target_type, target_id, succeeded, ip_address, details",
            [NpgsqlDbType.Uuid, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Boolean, NpgsqlDbType.Text, NpgsqlDbType.Json]),
    ];

    public static async Task<long> CopyAsync(string sqlitePath, string postgresConnectionString)
    {
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await source.OpenAsync();
        await using var target = new NpgsqlConnection(postgresConnectionString);
        await target.OpenAsync();
        await using var transaction = await target.BeginTransactionAsync();
        long rows = 0;
        foreach (var (table, columns, types) in Tables)
        {
            await using var read = source.CreateCommand();
            read.CommandText = $"SELECT {columns} FROM {table} ORDER BY id";
            await using var reader = await read.ExecuteReaderAsync();
            await using var importer = await target.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)");
            while (await reader.ReadAsync())
            {
                await importer.StartRowAsync();
                for (var i = 0; i < types.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await importer.WriteNullAsync();
                        continue;
                    }

                    switch (types[i])
                    {
                        case NpgsqlDbType.Uuid:
                            await importer.WriteAsync(Guid.Parse(reader.GetString(i)), NpgsqlDbType.Uuid);
                            break;
                        case NpgsqlDbType.Boolean:
                            await importer.WriteAsync(reader.GetInt64(i) != 0, NpgsqlDbType.Boolean);
                            break;
                        case NpgsqlDbType.TimestampTz:
                            await importer.WriteAsync(DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(i) * TimeSpan.TicksPerMicrosecond), NpgsqlDbType.TimestampTz);
                            break;
                        case NpgsqlDbType.Bigint:
                            await importer.WriteAsync(reader.GetInt64(i), NpgsqlDbType.Bigint);
                            break;
                        case NpgsqlDbType.Bytea:
                            await importer.WriteAsync(reader.GetFieldValue<byte[]>(i), NpgsqlDbType.Bytea);
                            break;
                        default:
                            await importer.WriteAsync(reader.GetString(i), types[i]);
                            break;
                    }
                }

                rows++;
            }

            await importer.CompleteAsync();
        }

        await transaction.CommitAsync();
        return rows;
    }
}
