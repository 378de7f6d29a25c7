namespace GatewayStorage;

/// <summary>Stores directory (AD/LDAP) group to role mappings.</summary>
public interface IDirectoryMappingStore
{
    /// <summary>Maps a group to a role, or updates the description of that mapping when it exists.</summary>
    /// <param name="group">The group, 1 to 1,000 characters, compared case-insensitively.</param>
    /// <param name="roleId">The role's id.</param>
    /// <param name="description">A note on the mapping, at most 1,000 characters.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored mapping; an existing mapping keeps its id.</returns>
    /// <exception cref="EntityNotFoundException">The role does not exist.</exception>
    Task<DirectoryGroupMapping> UpsertDirectoryMappingAsync(string group, Guid roleId, string? description = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a mapping.</summary>
    /// <param name="id">The mapping's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a mapping was deleted.</returns>
    Task<bool> DeleteDirectoryMappingAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists mappings in creation order, one keyset page at a time.</summary>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of mappings.</returns>
    Task<Page<DirectoryGroupMapping>> ListDirectoryMappingsAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Gets the distinct roles that a member of the given groups holds through mappings, in name order.</summary>
    /// <param name="groups">The user's groups (at most 1,000), compared case-insensitively.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The roles; empty when no group is mapped.</returns>
    Task<IReadOnlyList<Role>> GetRolesForGroupsAsync(IEnumerable<string> groups, CancellationToken cancellationToken = default);
}
