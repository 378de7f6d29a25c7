using GatewayStorage.Relational;
using Microsoft.Data.Sqlite;

namespace GatewayStorage.Tests.Relational;

public sealed class IdleConnectionStackTests
{
    [Fact]
    public void TryPop_hands_out_the_most_recently_returned_connection_first()
    {
        var stack = new IdleConnectionStack<SqliteConnection>(capacity: 4, Timeout.InfiniteTimeSpan);
        using SqliteConnection first = new(), second = new(), third = new();

        Assert.True(stack.TryPush(first));
        Assert.True(stack.TryPush(second));
        Assert.True(stack.TryPush(third));

        Assert.True(stack.TryPop(out var popped));
        Assert.Same(third, popped);
        Assert.True(stack.TryPush(third));
        Assert.Equal([third, second, first], PopAll(stack));
        Assert.False(stack.TryPop(out _));
    }

    [Fact]
    public void TryPush_refuses_connections_beyond_the_capacity()
    {
        var stack = new IdleConnectionStack<SqliteConnection>(capacity: 2, Timeout.InfiniteTimeSpan);
        using SqliteConnection first = new(), second = new(), third = new();

        Assert.True(stack.TryPush(first));
        Assert.True(stack.TryPush(second));
        Assert.False(stack.TryPush(third));
        Assert.Equal(2, stack.Count);
    }

    [Fact]
    public void Close_returns_every_idle_connection_and_refuses_later_ones()
    {
        var stack = new IdleConnectionStack<SqliteConnection>(capacity: 4, Timeout.InfiniteTimeSpan);
        using SqliteConnection first = new(), second = new(), late = new();
        stack.TryPush(first);
        stack.TryPush(second);

        var closed = stack.Close();

        Assert.Equal([first, second], closed);
        Assert.False(stack.TryPush(late));
        Assert.Equal(0, stack.Count);
    }

    [Fact]
    public async Task TakeStale_returns_only_the_connections_idle_for_longer_than_the_idle_lifetime()
    {
        var stack = new IdleConnectionStack<SqliteConnection>(capacity: 4, TimeSpan.FromSeconds(1));
        using SqliteConnection old = new(), recent = new();
        stack.TryPush(old);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        stack.TryPush(recent);

        var stale = stack.TakeStale();

        Assert.Equal([old], stale);
        Assert.Equal([recent], PopAll(stack));
    }

    [Fact]
    public void TakeStale_with_an_infinite_idle_lifetime_returns_nothing()
    {
        var stack = new IdleConnectionStack<SqliteConnection>(capacity: 4, Timeout.InfiniteTimeSpan);
        using var connection = new SqliteConnection();
        stack.TryPush(connection);

        Assert.Empty(stack.TakeStale());
        Assert.Equal(1, stack.Count);
    }

    private static List<SqliteConnection> PopAll(IdleConnectionStack<SqliteConnection> stack)
    {
        var popped = new List<SqliteConnection>();
        while (stack.TryPop(out var connection))
        {
            popped.Add(connection);
        }

        return popped;
    }
}
