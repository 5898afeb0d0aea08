using Cairn.Core.Backup;

namespace Cairn.Core.Tests.Backup;

public sealed class ReadAheadTests
{
    [Fact]
    public void It_is_off_until_a_read_finds_its_data_missing_from_the_page_cache()
    {
        var readAhead = new ReadAhead(new ManualClock(), static (_, _) => { });
        Assert.False(readAhead.IsActive);

        readAhead.NoteUncachedRead();

        Assert.True(readAhead.IsActive);
    }

    [Fact]
    public void It_stops_once_no_such_read_was_seen_for_a_while()
    {
        var clock = new ManualClock();
        var readAhead = new ReadAhead(clock, static (_, _) => { });
        readAhead.NoteUncachedRead();

        clock.Advance(ReadAhead.ActiveFor - TimeSpan.FromMilliseconds(1));
        Assert.True(readAhead.IsActive);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(readAhead.IsActive);

        readAhead.NoteUncachedRead();
        Assert.True(readAhead.IsActive);
    }
}
