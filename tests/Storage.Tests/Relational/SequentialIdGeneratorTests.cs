using GatewayStorage.Relational;

namespace GatewayStorage.Tests.Relational;

public sealed class SequentialIdGeneratorTests
{
    [Fact]
    public void Next_makes_version_7_ids_that_strictly_increase_within_one_millisecond()
    {
        var generator = new SequentialIdGenerator();
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next(now)).ToList();

        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.Equal(0b10, id.Variant >> 2));
        Assert.Equal(ids.Order().ToList(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(now.ToUnixTimeMilliseconds(), MillisecondsOf(ids[0]));
    }

    [Fact]
    public void Next_keeps_increasing_when_the_clock_steps_back()
    {
        var generator = new SequentialIdGenerator();
        var now = DateTimeOffset.UtcNow;

        var first = generator.Next(now);
        var second = generator.Next(now.AddSeconds(-5));

        Assert.True(second.CompareTo(first) > 0);
    }

    [Fact]
    public void Ids_of_later_milliseconds_sort_after_earlier_ones_as_text()
    {
        var generator = new SequentialIdGenerator();
        var now = DateTimeOffset.UtcNow;

        var earlier = generator.Next(now);
        var later = generator.Next(now.AddMilliseconds(1));

        // SQLite compares the lower-case text form; PostgreSQL compares uuid bytes: both orders must agree.
        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
        Assert.Equal(now.ToUnixTimeMilliseconds() + 1, MillisecondsOf(later));
    }

    private static long MillisecondsOf(Guid id) => Convert.ToInt64(id.ToString("N")[..12], 16);
}
