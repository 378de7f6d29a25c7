namespace GatewayStorage;

/// <summary>Stores roles, their permissions and which users hold them.</summary>
public interface IRoleStore
{
    /// <summary>The most roles one user may hold: 100.</summary>
    const int MaxRolesPerUser = 100;

    /// <summary>Creates a role with its permissions, in one transaction.</summary>
    /// <param name="role">The role to create.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored role.</returns>
    /// <exception cref="ArgumentException">The name or a permission is missing, too long or malformed.</exception>
    /// <exception cref="DuplicateKeyException">A role with the same name exists.</exception>
    Task<Role> CreateRoleAsync(NewRole role, CancellationToken cancellationToken = default);

    /// <summary>Gets a role by id.</summary>
    /// <param name="id">The role's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The role, or <see langword="null"/> when there is none.</returns>
    Task<Role?> GetRoleAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Gets a role by name, compared case-insensitively.</summary>
    /// <param name="name">The role's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The role, or <see langword="null"/> when there is none.</returns>
    Task<Role?> GetRoleByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the name, description and permission set of <paramref name="role"/> in one transaction,
    /// provided its version is still the stored one.
    /// </summary>
    /// <param name="role">The role as read, with the changes applied.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored role with its new version.</returns>
    /// <exception cref="ConcurrencyConflictException">The role was changed or deleted since it was read.</exception>
    /// <exception cref="DuplicateKeyException">The new name belongs to another role.</exception>
    Task<Role> UpdateRoleAsync(Role role, CancellationToken cancellationToken = default);

    /// <summary>Deletes a role together with its assignments and directory mappings.</summary>
    /// <param name="id">The role's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a role was deleted; <see langword="false"/> when there was none.</returns>
    /// <exception cref="ProtectedEntityException">The role is a system role.</exception>
    Task<bool> DeleteRoleAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Lists roles in name order, one keyset page at a time.</summary>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of roles.</returns>
    Task<Page<Role>> ListRolesAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Assigns a role to a user. Assigning a role the user already holds changes nothing. A user holds at most
    /// <see cref="MaxRolesPerUser"/> roles.
    /// </summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="roleId">The role's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the assignment is new; <see langword="false"/> when it existed.</returns>
    /// <exception cref="EntityNotFoundException">The user or the role does not exist.</exception>
    /// <exception cref="LimitExceededException">The user already holds <see cref="MaxRolesPerUser"/> other roles; nothing is written.</exception>
    Task<bool> AssignRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default);

    /// <summary>Takes a role away from a user.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="roleId">The role's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when an assignment was removed.</returns>
    Task<bool> RevokeRoleAsync(Guid userId, Guid roleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the roles a user holds, in name order. The list is bounded, not paged: a user holds at most
    /// <see cref="MaxRolesPerUser"/> roles, which <see cref="AssignRoleAsync"/> enforces.
    /// </summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The roles, at most <see cref="MaxRolesPerUser"/>; empty when the user holds none or does not exist.</returns>
    Task<IReadOnlyList<Role>> GetUserRolesAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Lists the users that hold a role, in creation order, one keyset page at a time.</summary>
    /// <param name="roleId">The role's id.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of users.</returns>
    Task<Page<User>> GetUsersInRoleAsync(Guid roleId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Gets the union of the permissions of every role a user holds.</summary>
    /// <param name="userId">The user's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The permissions (ordinal comparison); empty when the user holds no role or does not exist.</returns>
    Task<IReadOnlySet<string>> GetEffectivePermissionsAsync(Guid userId, CancellationToken cancellationToken = default);
}
