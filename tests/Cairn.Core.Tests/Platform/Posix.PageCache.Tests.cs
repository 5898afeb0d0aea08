using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Platform;

/// <summary>Reading only from the page cache, and reading ahead into it.</summary>
public sealed class PosixPageCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine("/var/tmp", "cairn-pagecache-" + Guid.NewGuid().ToString("N")[..12]);

    public PosixPageCacheTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private byte[] In(string name) => Encoding.UTF8.GetBytes(Path.Combine(_dir, name));

    private byte[] FileOnDiskOnly(string name, int length)
    {
        DiskOnlyFile.Write(Path.Combine(_dir, name), TestData.RandomBytes(length, seed: 7));
        return In(name);
    }

    [Fact]
    public void A_read_from_the_page_cache_alone_gets_cached_data_and_says_when_it_is_on_the_disk_only()
    {
        var path = FileOnDiskOnly("file", 64 * 1024);
        var buffer = new byte[64 * 1024 + 1];
        using var handle = Posix.OpenRead(path);

        Assert.Equal(Posix.NotInPageCache, Posix.PreadIfCached(handle, buffer, 0));

        Assert.Equal(64 * 1024, Posix.Pread(handle, buffer, 0));
        Assert.Equal(64 * 1024, Posix.PreadIfCached(handle, buffer, 0));
        Assert.Equal(0, Posix.PreadIfCached(handle, buffer, 64 * 1024));
    }

    [Fact]
    public async Task A_file_read_ahead_comes_into_the_page_cache()
    {
        var path = FileOnDiskOnly("file", 256 * 1024);
        var buffer = new byte[256 * 1024];
        using var handle = Posix.OpenRead(path);
        Assert.Equal(Posix.NotInPageCache, Posix.PreadIfCached(handle, buffer, 0));

        Posix.AdviseWillNeed(path, 256 * 1024);

        // The kernel reads in the background: give it a moment.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Posix.PreadIfCached(handle, buffer, 0) != 256 * 1024 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Equal(256 * 1024, Posix.PreadIfCached(handle, buffer, 0));
    }

    [Fact]
    public void A_file_read_ahead_keeps_its_access_time_and_every_other_time()
    {
        var path = FileOnDiskOnly("file", 100_000);
        // An access time older than the modification: a read would move it even with relatime.
        File.SetLastAccessTimeUtc(Path.Combine(_dir, "file"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        var before = Posix.Lstat(path);

        Posix.AdviseWillNeed(path, before.Size);

        var after = Posix.Lstat(path);
        Assert.Equal(before.Atime, after.Atime);
        Assert.Equal(before.Mtime, after.Mtime);
        Assert.Equal(before.Ctime, after.Ctime);
    }

    [Fact]
    public async Task A_fifo_a_directory_a_symlink_and_a_missing_name_are_left_alone_at_once()
    {
        Posix.MakeNode(In("fifo"), FileKind.Fifo, 0x180, 0);
        Directory.CreateDirectory(Path.Combine(_dir, "dir"));
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), "fifo");

        // On a thread of its own: an open that waits for a writer must fail this test, not hang it.
        await Task.Run(() =>
        {
            foreach (var name in new[] { "fifo", "dir", "link", "missing" })
                Posix.AdviseWillNeed(In(name), 4096);
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(FileKind.Fifo, Posix.Lstat(In("fifo")).Kind);
    }

    [Fact]
    public void A_symlink_to_a_file_on_the_disk_only_is_not_followed()
    {
        FileOnDiskOnly("target", 64 * 1024);
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), "target");

        Posix.AdviseWillNeed(In("link"), 64 * 1024);

        Thread.Sleep(200);
        using var handle = Posix.OpenRead(In("target"));
        Assert.Equal(Posix.NotInPageCache, Posix.PreadIfCached(handle, new byte[64 * 1024], 0));
    }
}
