using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Restore;
using Cairn.Core.Trees;
using static Cairn.Core.Tests.Restore.HandMadeTrees;

namespace Cairn.Core.Tests.Restore;

/// <summary>
/// A restore of more files than one batch holds: it plans a batch ahead of the one it writes, so what it holds
/// follows the batch, not the snapshot, and every file, link and shared blob still lands where it belongs.
/// </summary>
public sealed class RestorerBatchesTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static Node File(string name, BlobId? content, uint links = 1, ulong inode = 0) => new()
    {
        Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File, Mode = 0x1A4, Mtime = Then, Atime = Then,
        Content = content is { } id ? [id] : [], Size = content is null ? 0 : 8, Links = links, Device = links > 1 ? 1UL : 0, Inode = inode,
    };

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
        // The first batch's first blob waits until the next batch is being planned: planning goes on while it is written.
        var plannedWhileWriting = false;
        loader.BeforeBlob[contents[0]] = async () =>
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while (progress.TotalFiles <= RestoreBatch.MaxFiles + 2 && DateTime.UtcNow < until)
                await Task.Delay(10);
            plannedWhileWriting |= progress.TotalFiles > RestoreBatch.MaxFiles + 2 && !progress.AllPlanned; // its second file is in the last batch
        };
        long mostAhead = 0;
        var gate = new object();
        foreach (var id in contents.Where((_, i) => i > 0 && i % 1000 == 0))
        {
            loader.BeforeBlob[id] = () =>
            {
                lock (gate)
                    mostAhead = Math.Max(mostAhead, progress.TotalFiles - progress.FilesDone);
                return Task.CompletedTask;
            };
        }
        var target = Path.Combine(_scratch.Path, "target");

        var result = await new Restorer(loader, new RestoreOptions { Verify = true }, progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, result.Errors);
        Assert.True(plannedWhileWriting, "later files are planned while the first batch is written");
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
    public async Task The_later_names_of_hard_link_groups_are_linked_once_their_batch_is_written_not_at_the_end()
    {
        // A later name planned in the first batch is a link by the time the second batch is written, so that a restore
        // of many hard-linked names (rsnapshot's trees) does not hold them all to the end.
        var loader = new TreeLoader();
        var shared = loader.AddBlob("linked!!"u8.ToArray());
        var files = new List<Node> { File("first-name", shared, links: 2, inode: 7), File("second-name", shared, links: 2, inode: 7) };
        var contents = Enumerable.Range(0, RestoreBatch.MaxFiles + 10).Select(i => loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}"))).ToArray();
        files.AddRange(contents.Select((id, i) => File($"f{i:D5}", id)));
        loader.Trees[Id("d")] = files;
        loader.Trees[Id("root")] = [Directory("d", Id("d"))];
        var target = Path.Combine(_scratch.Path, "target");
        bool? linkedDuringSecondBatch = null;
        loader.BeforeBlob[contents[^1]] = () =>
        {
            var second = Encoding.UTF8.GetBytes(Path.Combine(target, "d", "second-name"));
            linkedDuringSecondBatch = System.IO.File.Exists(Path.Combine(target, "d", "second-name"))
                && Posix.Lstat(second).IsSameEntryAs(Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "d", "first-name"))));
            return Task.CompletedTask;
        };

        var result = await new Restorer(loader, new RestoreOptions(), new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, result.Errors);
        Assert.True(linkedDuringSecondBatch, "the later name is a link while the second batch is written");
        Assert.Equal(2u, Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "d", "first-name"))).Links);
    }

    [Fact]
    public async Task Planning_that_fails_stops_the_batch_being_written()
    {
        // A lost store while loading the tree after the first full batch: that batch, written slowly, stops too.
        var loader = new TreeLoader();
        var written = 0;
        var files = Enumerable.Range(0, RestoreBatch.MaxFiles + 10).Select(i =>
        {
            var id = loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}"));
            loader.BeforeBlob[id] = async () =>
            {
                Interlocked.Increment(ref written);
                await Task.Delay(20);
            };
            return File($"f{i:D5}", id);
        }).ToList();
        loader.Trees[Id("a")] = files;
        loader.Failing.Add(Id("b"));
        loader.Trees[Id("root")] = [Directory("a", Id("a")), Directory("b", Id("b"))];

        var e = await Assert.ThrowsAsync<IOException>(() =>
            new Restorer(loader, new RestoreOptions { Workers = 2 }, new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", Path.Combine(_scratch.Path, "target")));

        Assert.Equal("the store went away", e.Message);
        Assert.InRange(Volatile.Read(ref written), 0, RestoreBatch.MaxFiles / 4); // not the whole batch, 80 s of it
    }

    [Fact]
    public async Task Writing_that_fails_stops_the_planning_and_is_the_failure_reported()
    {
        // The store goes away under the first batch's writers; 200 directories, each slow to load, follow it.
        var loader = new TreeLoader();
        var files = Enumerable.Range(0, RestoreBatch.MaxFiles).Select(i => File($"f{i:D5}", loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}")))).ToList();
        loader.BeforeBlob[files[5].Content[0]] = () => throw new IOException("the store went away");
        loader.Trees[Id("a")] = files;
        var later = new List<Node> { Directory("a", Id("a")) };
        for (var d = 0; d < 200; d++)
        {
            loader.Trees[Id($"d{d}")] = [];
            loader.Before[Id($"d{d}")] = () => Task.Delay(20);
            later.Add(Directory($"d{d}", Id($"d{d}")));
        }
        loader.Trees[Id("root")] = later;

        var e = await Assert.ThrowsAsync<IOException>(() =>
            new Restorer(loader, new RestoreOptions(), new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", Path.Combine(_scratch.Path, "target")));

        Assert.Equal("the store went away", e.Message);
        int loaded;
        lock (loader.Loaded)
            loaded = loader.Loaded.Count;
        Assert.InRange(loaded, 2, 100); // the walk stopped with the planning, not at the 202nd tree, 4 s on
    }

    [Fact]
    public async Task A_pack_of_small_files_is_cut_into_jobs_of_at_most_256_blobs_for_the_writers_to_share()
    {
        var loader = new TreeLoader();
        var files = Enumerable.Range(0, 1000).Select(i => File($"f{i:D4}", loader.AddBlob(Encoding.ASCII.GetBytes($"{i,8}")))).ToList();
        loader.Trees[Id("root")] = files;
        var target = Path.Combine(_scratch.Path, "target");

        var result = await new Restorer(loader, new RestoreOptions(), new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, result.Errors);
        Assert.Equal(1000, loader.Reads.Sum());
        Assert.True(loader.Reads.Count >= 4, $"the one pack's 1,000 blobs were read in {loader.Reads.Count} jobs");
        Assert.All(loader.Reads, n => Assert.InRange(n, 1, 256));
        Assert.Equal($"{999,8}", await System.IO.File.ReadAllTextAsync(Path.Combine(target, "f0999")));
    }
}
