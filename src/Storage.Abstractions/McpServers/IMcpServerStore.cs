namespace GatewayStorage;

/// <summary>Stores the MCP servers registered with the gateway.</summary>
public interface IMcpServerStore
{
    /// <summary>
    /// Registers a server, or updates the registration with the same name. An existing registration keeps
    /// its id; its tags are replaced only when <see cref="McpServerRegistration.Tags"/> is given.
    /// </summary>
    /// <param name="registration">The server to register.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The stored registration.</returns>
    /// <exception cref="ArgumentException">The name, URL, description or a tag is malformed.</exception>
    Task<McpServer> UpsertMcpServerAsync(McpServerRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Gets a server by id.</summary>
    /// <param name="id">The registration's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The server, or <see langword="null"/> when there is none.</returns>
    Task<McpServer?> GetMcpServerAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Gets a server by name, compared case-insensitively.</summary>
    /// <param name="name">The server's name.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The server, or <see langword="null"/> when there is none.</returns>
    Task<McpServer?> GetMcpServerByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists servers in name order, one keyset page at a time.</summary>
    /// <param name="query">Filters; <see cref="McpServerQuery.All"/> for every server.</param>
    /// <param name="page">Which page.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns>The page of servers.</returns>
    Task<Page<McpServer>> ListMcpServersAsync(McpServerQuery query, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Deletes a server registration and its tags.</summary>
    /// <param name="id">The registration's id.</param>
    /// <param name="cancellationToken">The token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a registration was deleted.</returns>
    Task<bool> DeleteMcpServerAsync(Guid id, CancellationToken cancellationToken = default);
}
