namespace GatewayStorage;

/// <summary>The time rule of every backend: UTC, truncated to whole microseconds.</summary>
internal static class StorageTime
{
    /// <summary>Converts to UTC and drops the sub-microsecond ticks, as both engines store it.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <inheritdoc cref="Normalize(DateTimeOffset)"/>
    public static DateTimeOffset? Normalize(DateTimeOffset? value) => value is { } v ? Normalize(v) : null;

    /// <summary>The current time of <paramref name="time"/>, normalised.</summary>
    public static DateTimeOffset Now(TimeProvider time) => Normalize(time.GetUtcNow());
}
