using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Platform;

/// <summary>Reading ahead changes nothing about a file, and never waits on or follows what is not a regular file.</summary>
public sealed class PosixAdviseWillNeedTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cairn-advise-" + Guid.NewGuid().ToString("N")[..12]);

    public PosixAdviseWillNeedTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private byte[] In(string name) => Encoding.UTF8.GetBytes(Path.Combine(_dir, name));

    [Fact]
    public void A_file_read_ahead_keeps_its_access_time_and_every_other_time()
    {
        var path = In("file");
        File.WriteAllBytes(Path.Combine(_dir, "file"), TestData.RandomBytes(100_000, seed: 1));
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
}
