namespace Cairn.Core.Platform;

/// <summary>A POSIX timestamp with nanosecond precision.</summary>
/// <param name="Seconds">Seconds since the Unix epoch, may be negative.</param>
/// <param name="Nanoseconds">Nanoseconds within the second, 0 to 999,999,999.</param>
public readonly record struct PosixTime(long Seconds, uint Nanoseconds) : IComparable<PosixTime>
{
    /// <summary>Converts to a <see cref="DateTimeOffset"/> (100 ns precision) for display.</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(Seconds, -62135596800L, 253402300799L)).AddTicks(Nanoseconds / 100);

    /// <summary>Converts from a <see cref="DateTimeOffset"/>.</summary>
    public static PosixTime FromDateTimeOffset(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }
        return new PosixTime(seconds, (uint)(rem * 100));
    }

    /// <inheritdoc/>
    public int CompareTo(PosixTime other) =>
        Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);
}
