namespace GatewayStorage.Benchmarks;

/// <summary>
/// A fixed ring of benchmark inputs, drawn randomly but deterministically (fixed seed) from the seeded data, handed
/// out one per invocation in turn, so no single row stays hot in a cache. Not thread-safe: one per caller.
/// </summary>
internal sealed class Rotation<T>
{
    private readonly T[] _items;
    private int _next;

    public Rotation(T[] items)
    {
        if (items.Length == 0 || (items.Length & (items.Length - 1)) != 0)
        {
            throw new ArgumentException("A rotation needs a power-of-two number of items.", nameof(items));
        }

        _items = items;
    }

    public int Count => _items.Length;

    public T Next()
    {
        var i = _next;
        _next = (i + 1) & (_items.Length - 1);
        return _items[i];
    }

    public T this[int index] => _items[index];
}

internal static class Inputs
{
    /// <summary>The number of inputs in a rotation.</summary>
    public const int RotationSize = 1024;

    /// <summary>A rotation of <paramref name="count"/> items drawn (with replacement) from <paramref name="source"/>.</summary>
    public static Rotation<T> Pick<T>(IReadOnlyList<T> source, int salt, int count = RotationSize)
    {
        if (source.Count == 0)
        {
            throw new InvalidOperationException("Nothing to draw benchmark inputs from.");
        }

        var random = new Random(BenchmarkSettings.Seed ^ salt);
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = source[random.Next(source.Count)];
        }

        return new Rotation<T>(items);
    }
}
