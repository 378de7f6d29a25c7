namespace GatewayStorage.Relational;

/// <summary>
/// Folds the rows of a parent joined with its children (one row per child, a null child when it has none) back
/// into one parent per id, keeping the rows' order and sorting each parent's children ordinally.
/// </summary>
internal static class ChildRows
{
    public static List<TParent> Fold<TParent>(
        List<(TParent Parent, string? Child)> rows,
        Func<TParent, Guid> idOf,
        Func<TParent, List<string>, TParent> withChildren)
    {
        var parents = new List<TParent>();
        var index = 0;
        while (index < rows.Count)
        {
            var parent = rows[index].Parent;
            var id = idOf(parent);
            var children = new List<string>();
            while (index < rows.Count && idOf(rows[index].Parent) == id)
            {
                if (rows[index].Child is { } child)
                {
                    children.Add(child);
                }

                index++;
            }

            children.Sort(StringComparer.Ordinal);
            parents.Add(withChildren(parent, children));
        }

        return parents;
    }
}
