using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class ReadAheadTests
{
    private const long SmallFile = 3000;
    private const long LargeFile = 3 * 1024 * 1024;

    private static ReadAhead NewReadAhead(ManualClock clock) => new(clock, static (_, _) => { });

    /// <summary>Notes the misses of <paramref name="count"/> files of <paramref name="size"/> bytes, all at once.</summary>
    private static void NoteMisses(ReadAhead readAhead, int count, long size)
    {
        for (var i = 0; i < count; i++)
            readAhead.NoteUncachedRead(size);
    }

    [Fact]
    public void It_is_off_until_64_small_files_miss_the_page_cache_within_a_second()
    {
        var clock = new ManualClock();
        var readAhead = NewReadAhead(clock);
        Assert.False(readAhead.IsActive);

        for (var i = 0; i < 63; i++)
        {
            readAhead.NoteUncachedRead(SmallFile);
            clock.Advance(ReadAhead.BurstWithin / 64);
        }
        Assert.False(readAhead.IsActive);

        readAhead.NoteUncachedRead(SmallFile);
        Assert.True(readAhead.IsActive);
        Assert.Equal(64, readAhead.UncachedReads);
    }

    [Fact]
    public void Four_larger_files_that_miss_it_turn_it_on_and_three_do_not()
    {
        var readAhead = NewReadAhead(new ManualClock());

        NoteMisses(readAhead, 3, LargeFile);
        Assert.False(readAhead.IsActive);

        readAhead.NoteUncachedRead(LargeFile);
        Assert.True(readAhead.IsActive);
    }

    [Fact]
    public void Files_missing_the_page_cache_now_and_then_do_not_turn_it_on()
    {
        var clock = new ManualClock();
        var readAhead = NewReadAhead(clock);

        // Twenty small files at a time, or one larger file, every half second for a minute, as memory reclaim
        // takes pages of a warm cache.
        for (var i = 0; i < 120; i++)
        {
            if (i % 2 == 0)
                NoteMisses(readAhead, 20, SmallFile);
            else
                readAhead.NoteUncachedRead(LargeFile);
            clock.Advance(ReadAhead.BurstWithin / 2);
            Assert.False(readAhead.IsActive);
        }
    }

    [Fact]
    public void It_stops_once_no_burst_was_seen_for_a_while_and_one_more_miss_does_not_restart_it()
    {
        var clock = new ManualClock();
        var readAhead = NewReadAhead(clock);
        NoteMisses(readAhead, 64, SmallFile);

        clock.Advance(ReadAhead.ActiveFor - TimeSpan.FromMilliseconds(1));
        Assert.True(readAhead.IsActive);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(readAhead.IsActive);

        readAhead.NoteUncachedRead(SmallFile);
        Assert.False(readAhead.IsActive);

        NoteMisses(readAhead, 63, SmallFile);
        Assert.True(readAhead.IsActive);
    }

    [Fact]
    public void After_a_flood_of_misses_one_more_a_second_later_makes_no_burst()
    {
        var clock = new ManualClock();
        var readAhead = NewReadAhead(clock);
        NoteMisses(readAhead, 10_000, SmallFile);

        clock.Advance(ReadAhead.BurstWithin + TimeSpan.FromMilliseconds(1));
        readAhead.NoteUncachedRead(LargeFile);
        clock.Advance(ReadAhead.ActiveFor - ReadAhead.BurstWithin);

        Assert.False(readAhead.IsActive);
        Assert.Equal(10_001, readAhead.UncachedReads);
    }

    [Fact]
    public void Misses_noted_from_several_threads_are_all_counted()
    {
        var readAhead = NewReadAhead(new ManualClock());

        Parallel.For(0, 1000, _ => readAhead.NoteUncachedRead(SmallFile));

        Assert.Equal(1000, readAhead.UncachedReads);
        Assert.True(readAhead.IsActive);
    }
}
