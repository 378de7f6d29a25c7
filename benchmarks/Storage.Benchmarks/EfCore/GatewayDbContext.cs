using Microsoft.EntityFrameworkCore;

namespace GatewayStorage.Benchmarks.EfCore;

/// <summary>
/// An EF Core context over the library's EXISTING schema (created by the library's migrations; EF never creates or
/// migrates anything here). One context type serves both engines: <see cref="OnModelCreating"/> asks which provider it
/// runs on and, on SQLite, puts the library's storage forms behind value converters (GUID as lower-case text, times
/// as INTEGER microseconds since the epoch); on PostgreSQL every column has its native mapping (uuid, timestamptz as
/// DateTimeOffset at offset 0, bytea), with json read as text. EF caches one model per provider, so an SQLite and a
/// PostgreSQL context in the same process do not share a model.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<EfUser> Users { get; set; } = null!;

    public DbSet<EfApiKey> ApiKeys { get; set; } = null!;

    public DbSet<EfConfigEntry> ConfigEntries { get; set; } = null!;

    public DbSet<EfRole> Roles { get; set; } = null!;

    public DbSet<EfRolePermission> RolePermissions { get; set; } = null!;

    public DbSet<EfUserRole> UserRoles { get; set; } = null!;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var sqlite = Database.IsSqlite();

        modelBuilder.Entity<EfUser>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(u => u.Email).HasColumnName("email");
            e.Property(u => u.NormalizedEmail).HasColumnName("normalized_email");
            e.Property(u => u.DisplayName).HasColumnName("display_name");
            e.Property(u => u.IsActive).HasColumnName("is_active");
            e.Property(u => u.CreatedAt).HasColumnName("created_at");
            e.Property(u => u.UpdatedAt).HasColumnName("updated_at");
            e.Property(u => u.LastLoginAt).HasColumnName("last_login_at");
            e.Property(u => u.Version).HasColumnName("version");
            e.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("ux_users_normalized_email");
        });

        modelBuilder.Entity<EfApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(k => k.UserId).HasColumnName("user_id");
            e.Property(k => k.Name).HasColumnName("name");
            e.Property(k => k.PublicId).HasColumnName("public_id");
            e.Property(k => k.SecretHash).HasColumnName("secret_hash");
            e.Property(k => k.Scopes).HasColumnName("scopes")
                .HasConversion(new ScopesTextConverter(), new ScopesComparer());
            e.Property(k => k.CreatedAt).HasColumnName("created_at");
            e.Property(k => k.ExpiresAt).HasColumnName("expires_at");
            e.Property(k => k.LastUsedAt).HasColumnName("last_used_at");
            e.Property(k => k.RevokedAt).HasColumnName("revoked_at");
            e.HasIndex(k => k.PublicId).IsUnique().HasDatabaseName("ux_api_keys_public_id");
        });

        modelBuilder.Entity<EfConfigEntry>(e =>
        {
            e.ToTable("config_entries");
            e.HasKey(c => c.Key);
            e.Property(c => c.Key).HasColumnName("key").ValueGeneratedNever();
            var value = e.Property(c => c.Value).HasColumnName("value").HasConversion(new JsonElementTextConverter());
            if (!sqlite)
            {
                value.HasColumnType("json");
            }

            e.Property(c => c.Version).HasColumnName("version");
            e.Property(c => c.UpdatedAt).HasColumnName("updated_at");
        });

        modelBuilder.Entity<EfRole>(e =>
        {
            e.ToTable("roles");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(r => r.Name).HasColumnName("name");
            e.Property(r => r.NormalizedName).HasColumnName("normalized_name");
            e.Property(r => r.Description).HasColumnName("description");
            e.Property(r => r.IsSystem).HasColumnName("is_system");
            e.Property(r => r.CreatedAt).HasColumnName("created_at");
            e.Property(r => r.UpdatedAt).HasColumnName("updated_at");
            e.Property(r => r.Version).HasColumnName("version");
        });

        modelBuilder.Entity<EfRolePermission>(e =>
        {
            e.ToTable("role_permissions");
            e.HasKey(p => new { p.RoleId, p.Permission });
            e.Property(p => p.RoleId).HasColumnName("role_id");
            e.Property(p => p.Permission).HasColumnName("permission");
        });

        modelBuilder.Entity<EfUserRole>(e =>
        {
            e.ToTable("user_roles");
            e.HasKey(ur => new { ur.UserId, ur.RoleId });
            e.Property(ur => ur.UserId).HasColumnName("user_id");
            e.Property(ur => ur.RoleId).HasColumnName("role_id");
            e.Property(ur => ur.AssignedAt).HasColumnName("assigned_at");
        });

        if (sqlite)
        {
            ApplySqliteStorageForms(modelBuilder);
        }
    }

    /// <summary>Every GUID and time column of the model gets the library's SQLite storage form.</summary>
    private static void ApplySqliteStorageForms(ModelBuilder modelBuilder)
    {
        var guid = new SqliteGuidTextConverter();
        var time = new SqliteMicrosecondsConverter();
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (type == typeof(Guid))
                {
                    property.SetValueConverter(guid);
                }
                else if (type == typeof(DateTimeOffset))
                {
                    property.SetValueConverter(time);
                }
            }
        }
    }

    /// <summary>Options for <paramref name="engine"/> on <paramref name="connectionString"/>, with EF's defaults otherwise.</summary>
    public static DbContextOptions<GatewayDbContext> CreateOptions(BenchmarkEngine engine, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<GatewayDbContext>();
        _ = engine switch
        {
            BenchmarkEngine.Sqlite => builder.UseSqlite(connectionString).AddInterceptors(new SqliteSynchronousInterceptor()),
            BenchmarkEngine.Postgres => builder.UseNpgsql(connectionString),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
        };

        // Every query below says AsNoTracking() itself; this is the same default for anything that does not.
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return builder.Options;
    }
}
