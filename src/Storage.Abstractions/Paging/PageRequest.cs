namespace GatewayStorage;

/// <summary>
/// Asks for one page of a list. Lists page by keyset: pass the <see cref="Page{T}.NextCursor"/> of the
/// previous page to get the next one. Rows inserted between two calls never make a row appear twice or go missing.
/// </summary>
public sealed record PageRequest
{
    /// <summary>The largest page a caller may ask for: 500.</summary>
    public const int MaxLimit = 500;

    /// <summary>The page size used when none is given: 50.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Creates a page request.</summary>
    /// <param name="limit">How many rows to return, from 1 to <see cref="MaxLimit"/>. Defaults to 50.</param>
    /// <param name="cursor">The cursor of the previous page, or <see langword="null"/> for the first page.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not between 1 and <see cref="MaxLimit"/>.</exception>
    public PageRequest(int limit = DefaultLimit, string? cursor = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        if (cursor is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(cursor);
        }

        Limit = limit;
        Cursor = cursor;
    }

    /// <summary>The first page with the default size.</summary>
    public static PageRequest First { get; } = new();

    /// <summary>How many rows to return, from 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; }

    /// <summary>The opaque cursor of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? Cursor { get; }

    /// <summary>Asks for the page after the one that returned <paramref name="cursor"/>, with the same size.</summary>
    /// <param name="cursor">The <see cref="Page{T}.NextCursor"/> of the previous page.</param>
    /// <returns>The request for the next page.</returns>
    public PageRequest Next(string cursor) => new(Limit, cursor);
}
