using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Restore;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

/// <summary>
/// A restore of more files than one batch holds: it plans a batch ahead of the one it writes, so what it holds
/// follows the batch, not the snapshot, and every file, link and shared blob still lands where it belongs.
/// </summary>
public sealed class RestorerBatchesTests : IDisposable
{
    private static readonly PosixTime Then = new(1_600_000_000, 123_000_000);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cairn-batches-" + Guid.NewGuid().ToString("N")[..12]);

    public RestorerBatchesTests() => System.IO.Directory.CreateDirectory(_root);

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);

    private static BlobId Id(string name) => new(Digest.OfContent(Encoding.UTF8.GetBytes(name)));

    private static Node File(string name, BlobId? content, uint links = 1, ulong inode = 0) => new()
    {
        Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File, Mode = 0x1A4, Mtime = Then, Atime = Then,
        Content = content is { } id ? [id] : [], Size = content is null ? 0 : 8, Links = links, Device = links > 1 ? 1UL : 0, Inode = inode,
    };

    private static Node Directory(string name, BlobId subtree) =>
        new() { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.Directory, Subtree = subtree, Mode = 0x1ED, Mtime = Then, Atime = Then };

    [Fact]
    public async Task Files_of_several_batches_are_all_written_and_verified_with_links_and_blobs_shared_across_batches()
    {
        var count = RestoreBatch.MaxFiles * 2 + 100;
        var loader = new TreeLoader();
        var contents = Enumerable.Range(0, count).Select(i => loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}"))).ToArray();
        var files = new List<Node>
        {
            File("first-name", contents[0], links: 2, inode: 7),
            File("empty", null),
        };
        files.AddRange(Enumerable.Range(1, count - 1).Select(i => File($"f{i:D6}", contents[i])));
        files.Add(File("same-as-first", contents[0])); // its blob goes to a file of the first batch too
        files.Add(File("second-name", contents[0], links: 2, inode: 7));
        loader.Trees[Id("d")] = files;
        loader.Trees[Id("root")] = [Directory("d", Id("d"))];
        var progress = new RestoreProgress();
        var wroteWhilePlanning = false;
        long mostAhead = 0;
        var gate = new object();
        foreach (var id in contents.Where((_, i) => i % 1000 == 0))
        {
            loader.BeforeBlob[id] = () =>
            {
                lock (gate)
                {
                    wroteWhilePlanning |= id == contents[0] && !progress.AllPlanned;
                    mostAhead = Math.Max(mostAhead, progress.TotalFiles - progress.FilesDone);
                }
                return Task.CompletedTask;
            };
        }
        var target = Path.Combine(_root, "target");

        var result = await new Restorer(loader, new RestoreOptions { Verify = true }, progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, result.Errors);
        Assert.True(wroteWhilePlanning, "the first batch is written while later files are still being planned");
        Assert.InRange(mostAhead, 1, 2 * RestoreBatch.MaxFiles + 2); // never more than two batches planned and not written
        Assert.True(progress.AllPlanned);
        for (var i = 1; i < count; i++)
            Assert.Equal($"{i,8}", await System.IO.File.ReadAllTextAsync(Path.Combine(target, "d", $"f{i:D6}")));
        Assert.Equal($"{0,8}", await System.IO.File.ReadAllTextAsync(Path.Combine(target, "d", "same-as-first")));
        Assert.Equal(0, new FileInfo(Path.Combine(target, "d", "empty")).Length);
        Assert.Equal(Then.ToDateTimeOffset().UtcDateTime, System.IO.File.GetLastWriteTimeUtc(Path.Combine(target, "d", "empty")));
        var first = Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "d", "first-name")));
        var second = Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "d", "second-name")));
        Assert.True(first.IsSameEntryAs(second), "the later name of the hard-link group, planned batches later, is a link to the first");
        Assert.Equal(count + 2L, result.Verified); // every file, the empty one and "same-as-first" included; the linked one once
        Assert.Equal(count + 4L, result.Files); // the files, the link and the directory
    }

    [Fact]
    public async Task The_writers_share_a_pack_of_small_files_in_jobs_of_a_few_hundred_blobs()
    {
        var loader = new TreeLoader();
        var files = Enumerable.Range(0, 1000).Select(i => File($"f{i:D4}", loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}")))).ToList();
        loader.Trees[Id("root")] = files;
        var target = Path.Combine(_root, "target");

        var result = await new Restorer(loader, new RestoreOptions(), new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, result.Errors);
        Assert.Equal(1000, loader.Reads.Sum());
        Assert.True(loader.Reads.Count >= 4, $"the one pack's 1,000 blobs were read in {loader.Reads.Count} jobs");
        Assert.All(loader.Reads, n => Assert.InRange(n, 1, 256));
        Assert.Equal($"{999,8}", await System.IO.File.ReadAllTextAsync(Path.Combine(target, "f0999")));
    }
}
