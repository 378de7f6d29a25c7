using System.Diagnostics;
using GatewayStorage.Security;
using Npgsql;
using NpgsqlTypes;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// Bulk-loads a migrated PostgreSQL database with binary COPY (<see cref="NpgsqlConnection.BeginBinaryImportAsync"/>;
/// DESIGN.md, Hot paths: 62–71k rows/s into an indexed table), then <c>VACUUM ANALYZE</c>s the tables so the
/// planner sees their real sizes before the first measurement.
/// </summary>
internal static class PostgresSeeder
{
    public static async Task<SeedResult> SeedAsync(string connectionString, SeedPlan plan, ApiKeyHasher hasher, string apiKeyPrefix, DateTimeOffset seededAt)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        long rows = 0;

        await using (var users = await connection.BeginBinaryImportAsync(
            "COPY users (id, email, normalized_email, display_name, is_active, created_at, updated_at, version) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < plan.Rows; i++)
            {
                var email = SeedPlan.Email(i);
                var createdAt = SeedPlan.UserCreatedAt(i);
                await users.StartRowAsync();
                await users.WriteAsync(plan.UserIds[i], NpgsqlDbType.Uuid);
                await users.WriteAsync(email, NpgsqlDbType.Text);
                await users.WriteAsync(SeedPlan.NormalizedEmail(email), NpgsqlDbType.Text);
                await users.WriteAsync(SeedPlan.DisplayName(i), NpgsqlDbType.Text);
                await users.WriteAsync(SeedPlan.IsActive(i), NpgsqlDbType.Boolean);
                await users.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
                await users.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
                await users.WriteAsync(1L, NpgsqlDbType.Bigint);
            }

            rows += (long)await users.CompleteAsync();
        }

        if (plan.WithRoles)
        {
            rows += await SeedRolesAsync(connection, plan);
        }

        var samples = new List<SampleApiKey>(plan.KeySampleIndices.Count);
        await using (var keys = await connection.BeginBinaryImportAsync(
            "COPY api_keys (id, user_id, name, public_id, secret_hash, scopes, created_at, last_used_at) FROM STDIN (FORMAT BINARY)"))
        {
            var createdAt = SeedPlan.BaseTime.AddDays(1);
            foreach (var key in plan.ApiKeys(hasher, apiKeyPrefix))
            {
                await keys.StartRowAsync();
                await keys.WriteAsync(key.Id, NpgsqlDbType.Uuid);
                await keys.WriteAsync(key.UserId, NpgsqlDbType.Uuid);
                await keys.WriteAsync(key.Name, NpgsqlDbType.Text);
                await keys.WriteAsync(key.PublicId, NpgsqlDbType.Text);
                await keys.WriteAsync(key.SecretHash, NpgsqlDbType.Bytea);
                await keys.WriteAsync("read write", NpgsqlDbType.Text);
                await keys.WriteAsync(createdAt, NpgsqlDbType.TimestampTz);
                await keys.WriteAsync(seededAt, NpgsqlDbType.TimestampTz);
                if (key.PresentedKey is { } presented)
                {
                    samples.Add(new SampleApiKey(presented, key.Id, key.UserId));
                }
            }

            rows += (long)await keys.CompleteAsync();
        }

        await using (var config = await connection.BeginBinaryImportAsync(
            "COPY config_entries (key, value, version, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < BenchmarkSettings.ConfigEntries; i++)
            {
                await config.StartRowAsync();
                await config.WriteAsync(SeedPlan.ConfigKey(i), NpgsqlDbType.Text);
                await config.WriteAsync(SeedPlan.ConfigValue(i), NpgsqlDbType.Json);
                await config.WriteAsync(1L, NpgsqlDbType.Bigint);
                await config.WriteAsync(SeedPlan.BaseTime, NpgsqlDbType.TimestampTz);
            }

            rows += (long)await config.CompleteAsync();
        }

        // One statement (VACUUM refuses to run inside a multi-statement batch): every table of the database.
        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection))
        {
            analyze.CommandTimeout = 600;
            await analyze.ExecuteNonQueryAsync();
        }

        return new SeedResult(rows, watch.Elapsed, samples);
    }

    private static async Task<long> SeedRolesAsync(NpgsqlConnection connection, SeedPlan plan)
    {
        long rows = 0;
        var at = SeedPlan.BaseTime.AddDays(-1);
        await using (var roles = await connection.BeginBinaryImportAsync(
            "COPY roles (id, name, normalized_name, is_system, created_at, updated_at, version) FROM STDIN (FORMAT BINARY)"))
        {
            for (var r = 0; r < plan.RoleIds.Length; r++)
            {
                await roles.StartRowAsync();
                await roles.WriteAsync(plan.RoleIds[r], NpgsqlDbType.Uuid);
                await roles.WriteAsync(plan.RoleNames[r], NpgsqlDbType.Text);
                await roles.WriteAsync(Check.Normalize(plan.RoleNames[r]), NpgsqlDbType.Text);
                await roles.WriteAsync(false, NpgsqlDbType.Boolean);
                await roles.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await roles.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await roles.WriteAsync(1L, NpgsqlDbType.Bigint);
            }

            rows += (long)await roles.CompleteAsync();
        }

        await using (var permissions = await connection.BeginBinaryImportAsync(
            "COPY role_permissions (role_id, permission) FROM STDIN (FORMAT BINARY)"))
        {
            for (var r = 0; r < plan.RoleIds.Length; r++)
            {
                foreach (var permission in plan.RolePermissions[r])
                {
                    await permissions.StartRowAsync();
                    await permissions.WriteAsync(plan.RoleIds[r], NpgsqlDbType.Uuid);
                    await permissions.WriteAsync(permission, NpgsqlDbType.Text);
                }
            }

            rows += (long)await permissions.CompleteAsync();
        }

        await using (var assignments = await connection.BeginBinaryImportAsync(
            "COPY user_roles (user_id, role_id, assigned_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (user, role) in plan.UserRoles())
            {
                await assignments.StartRowAsync();
                await assignments.WriteAsync(plan.UserIds[user], NpgsqlDbType.Uuid);
                await assignments.WriteAsync(plan.RoleIds[role], NpgsqlDbType.Uuid);
                await assignments.WriteAsync(SeedPlan.BaseTime, NpgsqlDbType.TimestampTz);
            }

            rows += (long)await assignments.CompleteAsync();
        }

        return rows;
    }
}
