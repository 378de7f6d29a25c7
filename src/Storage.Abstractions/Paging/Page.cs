namespace GatewayStorage;

/// <summary>One page of a keyset-paged list.</summary>
/// <typeparam name="T">The kind of row.</typeparam>
/// <param name="Items">The rows of this page, in the list's order.</param>
/// <param name="NextCursor">
/// The opaque cursor that asks for the next page, or <see langword="null"/> when this page is the last.
/// </param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>Whether another page follows this one.</summary>
    public bool HasMore => NextCursor is not null;
}
