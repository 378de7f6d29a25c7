using System.Text.Json;

namespace GatewayStorage.Benchmarks.EfCore;

// Entity classes for the EF Core variant, mapped onto the library's own tables (see GatewayDbContext). Plain
// mutable classes with settable properties: what an EF Core user writes.

/// <summary>A row of <c>users</c>.</summary>
public sealed class EfUser
{
    public Guid Id { get; set; }

    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    public string? DisplayName { get; set; }

    public bool IsActive { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    public long Version { get; set; }
}

/// <summary>A row of <c>api_keys</c>; <see cref="Scopes"/> is the space-separated <c>scopes</c> column, split.</summary>
public sealed class EfApiKey
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    public string PublicId { get; set; } = "";

    public byte[] SecretHash { get; set; } = [];

    public string[] Scopes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A row of <c>config_entries</c>; the JSON text of <c>value</c> is parsed into <see cref="Value"/> on read.</summary>
public sealed class EfConfigEntry
{
    public string Key { get; set; } = "";

    public JsonElement Value { get; set; }

    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row of <c>roles</c>.</summary>
public sealed class EfRole
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string NormalizedName { get; set; } = "";

    public string? Description { get; set; }

    public bool IsSystem { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public long Version { get; set; }
}

/// <summary>A row of <c>role_permissions</c>.</summary>
public sealed class EfRolePermission
{
    public Guid RoleId { get; set; }

    public string Permission { get; set; } = "";
}

/// <summary>A row of <c>user_roles</c>.</summary>
public sealed class EfUserRole
{
    public Guid UserId { get; set; }

    public Guid RoleId { get; set; }

    public DateTimeOffset AssignedAt { get; set; }
}
