using System.Diagnostics;
using GatewayStorage.Security;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Benchmarks;

/// <summary>
/// Bulk-loads a migrated SQLite database: one transaction, one prepared INSERT per table re-executed with new
/// values (DESIGN.md, Hot paths: 58–60k rows/s). Values in the library's storage forms: ids as lower-case 'D'
/// text, times as integer microseconds since the Unix epoch, booleans 0/1, JSON as text, hashes as BLOB.
/// </summary>
internal static class SqliteSeeder
{
    public static SeedResult Seed(string path, SeedPlan plan, ApiKeyHasher hasher, string apiKeyPrefix, DateTimeOffset seededAt)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA foreign_keys = ON;");

        long rows = 0;
        var samples = new List<SampleApiKey>(plan.KeySampleIndices.Count);
        using (var transaction = connection.BeginTransaction())
        {
            using (var users = Prepare(
                connection, transaction,
                "INSERT INTO users (id, email, normalized_email, display_name, is_active, created_at, updated_at, last_login_at, version) " +
                "VALUES (@id, @email, @normalized_email, @display_name, @is_active, @created_at, @created_at, NULL, 1)",
                "@id", "@email", "@normalized_email", "@display_name", "@is_active", "@created_at"))
            {
                var p = users.Parameters;
                for (var i = 0; i < plan.Rows; i++)
                {
                    var email = SeedPlan.Email(i);
                    p[0].Value = Id(plan.UserIds[i]);
                    p[1].Value = email;
                    p[2].Value = SeedPlan.NormalizedEmail(email);
                    p[3].Value = SeedPlan.DisplayName(i);
                    p[4].Value = SeedPlan.IsActive(i) ? 1L : 0L;
                    p[5].Value = Micros(SeedPlan.UserCreatedAt(i));
                    users.ExecuteNonQuery();
                }

                rows += plan.Rows;
            }

            if (plan.WithRoles)
            {
                rows += SeedRoles(connection, transaction, plan);
            }

            using (var keys = Prepare(
                connection, transaction,
                "INSERT INTO api_keys (id, user_id, name, public_id, secret_hash, scopes, created_at, expires_at, last_used_at, revoked_at) " +
                "VALUES (@id, @user_id, @name, @public_id, @secret_hash, 'read write', @created_at, NULL, @last_used_at, NULL)",
                "@id", "@user_id", "@name", "@public_id", "@secret_hash", "@created_at", "@last_used_at"))
            {
                var p = keys.Parameters;
                var createdAt = Micros(SeedPlan.BaseTime.AddDays(1));
                var lastUsedAt = Micros(seededAt);
                foreach (var key in plan.ApiKeys(hasher, apiKeyPrefix))
                {
                    p[0].Value = Id(key.Id);
                    p[1].Value = Id(key.UserId);
                    p[2].Value = key.Name;
                    p[3].Value = key.PublicId;
                    p[4].Value = key.SecretHash;
                    p[5].Value = createdAt;
                    p[6].Value = lastUsedAt;
                    keys.ExecuteNonQuery();
                    if (key.PresentedKey is { } presented)
                    {
                        samples.Add(new SampleApiKey(presented, key.Id, key.UserId));
                    }
                }

                rows += plan.Rows;
            }

            using (var config = Prepare(
                connection, transaction,
                "INSERT INTO config_entries (key, value, version, updated_at) VALUES (@key, @value, 1, @updated_at)",
                "@key", "@value", "@updated_at"))
            {
                var p = config.Parameters;
                for (var i = 0; i < BenchmarkSettings.ConfigEntries; i++)
                {
                    p[0].Value = SeedPlan.ConfigKey(i);
                    p[1].Value = SeedPlan.ConfigValue(i);
                    p[2].Value = Micros(SeedPlan.BaseTime);
                    config.ExecuteNonQuery();
                }

                rows += BenchmarkSettings.ConfigEntries;
            }

            transaction.Commit();
        }

        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        return new SeedResult(rows, watch.Elapsed, samples);
    }

    private static long SeedRoles(SqliteConnection connection, SqliteTransaction transaction, SeedPlan plan)
    {
        long rows = 0;
        var at = Micros(SeedPlan.BaseTime.AddDays(-1));
        using (var roles = Prepare(
            connection, transaction,
            "INSERT INTO roles (id, name, normalized_name, description, is_system, created_at, updated_at, version) " +
            "VALUES (@id, @name, @normalized_name, NULL, 0, @at, @at, 1)",
            "@id", "@name", "@normalized_name", "@at"))
        using (var permissions = Prepare(
            connection, transaction,
            "INSERT INTO role_permissions (role_id, permission) VALUES (@role_id, @permission)",
            "@role_id", "@permission"))
        {
            for (var r = 0; r < plan.RoleIds.Length; r++)
            {
                roles.Parameters[0].Value = Id(plan.RoleIds[r]);
                roles.Parameters[1].Value = plan.RoleNames[r];
                roles.Parameters[2].Value = Check.Normalize(plan.RoleNames[r]);
                roles.Parameters[3].Value = at;
                roles.ExecuteNonQuery();
                rows++;
                foreach (var permission in plan.RolePermissions[r])
                {
                    permissions.Parameters[0].Value = Id(plan.RoleIds[r]);
                    permissions.Parameters[1].Value = permission;
                    permissions.ExecuteNonQuery();
                    rows++;
                }
            }
        }

        using var assignments = Prepare(
            connection, transaction,
            "INSERT INTO user_roles (user_id, role_id, assigned_at) VALUES (@user_id, @role_id, @at)",
            "@user_id", "@role_id", "@at");
        assignments.Parameters[2].Value = Micros(SeedPlan.BaseTime);
        foreach (var (user, role) in plan.UserRoles())
        {
            assignments.Parameters[0].Value = Id(plan.UserIds[user]);
            assignments.Parameters[1].Value = Id(plan.RoleIds[role]);
            assignments.ExecuteNonQuery();
            rows++;
        }

        return rows;
    }

    public static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Id(Guid id) => id.ToString("D");

    private static long Micros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}

/// <summary>What a seeder loaded: rows in all, how long it took, and the sampled presented API keys.</summary>
internal sealed record SeedResult(long Rows, TimeSpan Elapsed, IReadOnlyList<SampleApiKey> Keys);
