using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class ReadAheadTests
{
    private static ReadAhead OnClock(ManualClock clock) => new(clock, static (_, _) => { });

    [Fact]
    public void It_is_off_until_a_read_is_slow()
    {
        var clock = new ManualClock();
        var readAhead = OnClock(clock);
        Assert.False(readAhead.IsActive);

        // 1 MB from the page cache in 400 µs: as fast as the cache gives it.
        var started = readAhead.Timestamp();
        clock.Advance(TimeSpan.FromMicroseconds(400));
        readAhead.Timed(started, 1_000_000);
        Assert.False(readAhead.IsActive);

        // 8 KB in 2 ms: the disk's.
        started = readAhead.Timestamp();
        clock.Advance(TimeSpan.FromMilliseconds(2));
        readAhead.Timed(started, 8192);
        Assert.True(readAhead.IsActive);
    }

    [Fact]
    public void It_stops_once_no_read_was_slow_for_a_while()
    {
        var clock = new ManualClock();
        var readAhead = OnClock(clock);
        var started = readAhead.Timestamp();
        clock.Advance(TimeSpan.FromMilliseconds(5));
        readAhead.Timed(started, 4096);

        clock.Advance(ReadAhead.ActiveFor - TimeSpan.FromMilliseconds(1));
        Assert.True(readAhead.IsActive);
        var fast = readAhead.Timestamp();
        readAhead.Timed(fast, 4096);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(readAhead.IsActive);
    }
}
