using System.Diagnostics;

namespace Cairn.Storage.Tests;

public sealed class BandwidthLimitTests
{
    [Fact]
    public async Task Transfers_beyond_one_second_of_burst_are_paced_to_the_rate()
    {
        var storage = new LimitedStorage(new MemoryStorage(), new BandwidthLimit(100 * 1024), download: null);
        var started = Stopwatch.StartNew();

        // 300 KiB at 100 KiB/s: the first second's worth goes at once, the other 200 KiB take two seconds.
        for (var i = 0; i < 6; i++)
            await storage.WriteAsync(new ObjectName(ObjectKind.Pack, $"{i:x2}"), new byte[50 * 1024]);

        Assert.InRange(started.Elapsed.TotalSeconds, 1.8, 30);
    }

    [Fact]
    public async Task Content_written_in_pieces_is_paced_by_its_length()
    {
        var storage = new LimitedStorage(new MemoryStorage(), new BandwidthLimit(100 * 1024), download: null);
        var started = Stopwatch.StartNew();

        for (var i = 0; i < 3; i++)
            await storage.WriteAsync(new ObjectName(ObjectKind.Pack, $"{i:x2}"), new ChoppyContent(new byte[100 * 1024]));

        Assert.InRange(started.Elapsed.TotalSeconds, 1.8, 30);
    }

    [Fact]
    public async Task Reads_are_not_held_by_an_upload_limit()
    {
        var inner = new MemoryStorage();
        await inner.WriteAsync(ObjectName.Config, new byte[1 << 20]);
        var storage = new LimitedStorage(inner, new BandwidthLimit(1024), download: null);
        var started = Stopwatch.StartNew();

        Assert.Equal(1 << 20, (await storage.ReadAllAsync(ObjectName.Config)).Length);

        Assert.InRange(started.Elapsed.TotalSeconds, 0, 1);
    }
}
