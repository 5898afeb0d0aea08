using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Restore;
using Cairn.Core.Trees;
using static Cairn.Core.Tests.Restore.HandMadeTrees;

namespace Cairn.Core.Tests.Restore;

/// <summary>
/// Restores of trees shaped by hand: names a backup never records (from a damaged or crafted snapshot) stay inside
/// the target, and a directory made only to hold an included entry gets its own metadata.
/// </summary>
public sealed class RestorerTreeShapesTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static Node File(byte[] name) => new() { Name = name, Kind = FileKind.File, Mode = 0x1A4, Mtime = Then, Atime = Then };

    private static Node File(string name) => File(Encoding.UTF8.GetBytes(name));

    [Fact]
    public async Task Names_a_directory_entry_cannot_have_are_reported_and_nothing_leaves_the_target()
    {
        var loader = new TreeLoader();
        loader.Trees[Id("up")] = [File("escaped")];
        loader.Trees[Id("root")] =
        [
            Directory("..", Id("up")),
            File("../escaped2"),
            File([(byte)'a', 0, (byte)'b']),
            new Node { Name = "link"u8.ToArray(), Kind = FileKind.Symlink, LinkTarget = [(byte)'x', 0, (byte)'y'] },
            new Node
            {
                Name = "attributed"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4,
                Xattrs = [new ExtendedAttribute([.. "user.a"u8, 0, (byte)'b'], "v"u8.ToArray())],
            },
            File("ok"),
        ];
        var target = Path.Combine(_scratch.Path, "target");
        var progress = new RestoreProgress();
        var messages = new List<string>();
        progress.WarningReceived = (_, m) => { lock (messages) messages.Add(m); };

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.False(System.IO.File.Exists(Path.Combine(_scratch.Path, "escaped")));
        Assert.False(System.IO.File.Exists(Path.Combine(_scratch.Path, "escaped2")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "ok")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "attributed")));
        Assert.False(System.IO.File.Exists(Path.Combine(target, "link")) || System.IO.Directory.Exists(Path.Combine(target, "link")));
        Assert.Equal(["attributed", "ok"], System.IO.Directory.GetFileSystemEntries(target).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(5, progress.Errors);
        Assert.Equal(3, messages.Count(m => m.Contains("not a name a directory entry can have", StringComparison.Ordinal)));
        Assert.Single(messages, m => m.Contains("symlink not restored", StringComparison.Ordinal));
        Assert.Single(messages, m => m.Contains("extended attribute not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_directory_swapped_for_a_symlink_after_it_was_made_leads_no_write_and_no_mode_outside_the_target()
    {
        // Someone who may write to the target swaps a directory the restore made for a symlink to a directory
        // outside, between planning (which made it) and writing (which creates the files in it).
        var outside = Path.Combine(_scratch.Path, "outside");
        System.IO.Directory.CreateDirectory(outside);
        Posix.Chmod(Encoding.UTF8.GetBytes(outside), 0x1C0);
        var target = Path.Combine(_scratch.Path, "target");
        var swapped = Path.Combine(target, "a");
        var loader = new TreeLoader();
        loader.Trees[Id("a")] = [File("planted"), Directory("deeper", Id("deeper"))];
        loader.Trees[Id("deeper")] = [File("planted-deeper")];
        loader.Trees[Id("b")] = [File("in-b")];
        loader.Trees[Id("z")] = [File("z")];
        loader.Trees[Id("root")] = [Directory("a", Id("a"), mode: 0x1FF), Directory("b", Id("b"), mode: 0xDFF), Directory("z", Id("z"))];
        // And a directory swapped for a hard link to a file (of the one who swaps it): it must not get the
        // directory's owner and mode (here setgid and writable by all).
        var victim = Path.Combine(_scratch.Path, "victim");
        System.IO.File.WriteAllText(victim, "theirs");
        Posix.Chmod(Encoding.UTF8.GetBytes(victim), 0x180);
        var planted = Path.Combine(target, "b");
        loader.Before[Id("z")] = async () =>
        {
            while (!System.IO.Directory.Exists(Path.Combine(swapped, "deeper")) || !System.IO.Directory.Exists(planted))
                await Task.Delay(10);
            System.IO.Directory.Move(swapped, Path.Combine(_scratch.Path, "moved-away"));
            System.IO.File.CreateSymbolicLink(swapped, outside);
            System.IO.Directory.Move(planted, Path.Combine(_scratch.Path, "moved-away-b"));
            Posix.Link(Encoding.UTF8.GetBytes(victim), Encoding.UTF8.GetBytes(planted));
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Empty(System.IO.Directory.GetFileSystemEntries(outside));
        Assert.Equal(0x1C0u, Posix.Lstat(Encoding.UTF8.GetBytes(outside)).Mode);
        Assert.Equal(0x180u, Posix.Lstat(Encoding.UTF8.GetBytes(victim)).Mode);
        Assert.Equal("theirs", System.IO.File.ReadAllText(victim));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "z", "z")));
        // What was to go into the swapped directory went into it where it was moved, which stays the restore's own
        // (0700, not the snapshot's 0777, which it gets only where the snapshot puts it).
        var movedAway = Path.Combine(_scratch.Path, "moved-away");
        Assert.True(System.IO.File.Exists(Path.Combine(movedAway, "planted")));
        Assert.True(System.IO.File.Exists(Path.Combine(movedAway, "deeper", "planted-deeper")));
        Assert.Equal(0x1C0u, Posix.Lstat(Encoding.UTF8.GetBytes(movedAway)).Mode);
        // The two swapped directories' metadata.
        Assert.Equal(2, progress.Errors);
    }

    [Fact]
    public async Task A_directory_of_someone_elses_put_in_place_of_one_the_restore_made_gets_nothing()
    {
        Assert.True(Posix.EffectiveUserId == 0, "a directory of another owner needs root");
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        var secret = loader.AddBlob("secret"u8.ToArray());
        var later = loader.AddBlob("later"u8.ToArray());
        loader.Trees[Id("private")] =
        [
            new Node { Name = "secret"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 6, Content = [secret], Mtime = Then, Atime = Then },
        ];
        loader.Trees[Id("z")] = [new Node { Name = "later"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 5, Content = [later], Mtime = Then, Atime = Then }];
        loader.Trees[Id("root")] = [Directory("private", Id("private"), mode: 0x1C0), Directory("z", Id("z"))];
        var made = Path.Combine(target, "private");
        var planted = Encoding.UTF8.GetBytes(made);
        // Between planning (which made "private") and writing: renamed away and replaced by a directory open to all.
        loader.BeforeBlob[secret] = () =>
        {
            System.IO.Directory.Move(made, Path.Combine(_scratch.Path, "moved-away"));
            System.IO.Directory.CreateDirectory(made);
            Posix.Lchown(planted, 1234, 1234);
            Posix.Chmod(planted, 0x1FF);
            return Task.CompletedTask;
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Empty(System.IO.Directory.GetFileSystemEntries(made));
        Assert.Equal((1234u, 0x1FFu), (Posix.Lstat(planted).Uid, Posix.Lstat(planted).Mode));
        Assert.Equal("secret", System.IO.File.ReadAllText(Path.Combine(_scratch.Path, "moved-away", "secret")));
        Assert.Equal("later", System.IO.File.ReadAllText(Path.Combine(target, "z", "later")));
        Assert.Equal(1, progress.Errors); // "private" replaced: its metadata not applied
    }

    [Theory]
    [InlineData(1234u, 0x1EDu, true)] // the snapshot's owner, no one more may write: kept as it is
    [InlineData(1234u, 0x1FFu, false)] // writable by all where the snapshot's is not
    [InlineData(4321u, 0x1EDu, false)] // someone else's
    [InlineData(1234u, 0x1EDu, false, 0x3EDu)] // not sticky where the snapshot's is
    public async Task A_directory_that_was_there_is_the_restores_while_it_is_filled_unless_it_lets_no_one_more_in(uint owner, uint mode, bool kept, uint snapshotMode = 0x1ED)
    {
        Assert.True(Posix.EffectiveUserId == 0, "a directory of another owner needs root");
        var target = Path.Combine(_scratch.Path, "target");
        var existing = Path.Combine(target, "home");
        System.IO.Directory.CreateDirectory(existing);
        var existingBytes = Encoding.UTF8.GetBytes(existing);
        Posix.Lchown(existingBytes, owner, owner);
        Posix.Chmod(existingBytes, mode);
        var loader = new TreeLoader();
        var content = loader.AddBlob("mine"u8.ToArray());
        loader.Trees[Id("home")] = [new Node { Name = "file"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 4, Content = [content], Uid = 1234, Gid = 1234, Mtime = Then, Atime = Then }];
        loader.Trees[Id("root")] =
        [
            new Node { Name = "home"u8.ToArray(), Kind = FileKind.Directory, Subtree = Id("home"), Mode = snapshotMode, Uid = 1234, Gid = 1234, Mtime = Then, Atime = Then },
        ];
        FileStatus? whileWritten = null;
        loader.BeforeBlob[content] = () =>
        {
            whileWritten = Posix.Lstat(existingBytes);
            return Task.CompletedTask;
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions { NumericOwner = true }, progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(kept ? (owner, mode) : (0u, 0x1C0u), (whileWritten!.Uid, whileWritten.Mode));
        var after = Posix.Lstat(existingBytes);
        Assert.Equal((1234u, 1234u, snapshotMode), (after.Uid, after.Gid, after.Mode));
        Assert.Equal("mine", System.IO.File.ReadAllText(Path.Combine(existing, "file")));
        Assert.Equal(0, progress.Errors);
    }

    [Theory]
    [InlineData("flags")]
    [InlineData("links")]
    public async Task A_finished_file_swapped_for_a_hard_link_gives_neither_its_flags_nor_its_other_names(string step)
    {
        var victim = Path.Combine(_scratch.Path, "victim");
        System.IO.File.WriteAllText(victim, "theirs");
        var victimBytes = Encoding.UTF8.GetBytes(victim);
        var flagsBefore = Posix.GetFlags(victimBytes);
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        var content = loader.AddBlob("ours"u8.ToArray());
        var later = loader.AddBlob("later"u8.ToArray());
        Node Finished(string name) => new()
        {
            Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File, Mode = 0x1A4, Size = 4, Content = [content], Mtime = Then, Atime = Then,
            Flags = step == "flags" ? Posix.NoDumpFlag : 0, Links = step == "links" ? 2u : 1u, Device = 1, Inode = 7,
        };
        loader.Trees[Id("root")] = step == "links"
            ? [Finished("first"), Finished("second"), new Node { Name = "later"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 5, Content = [later], Mtime = Then, Atime = Then }]
            : [Finished("first"), new Node { Name = "later"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 5, Content = [later], Mtime = Then, Atime = Then }];
        var first = Path.Combine(target, "first");
        loader.BeforeBlob[later] = () =>
        {
            System.IO.File.Move(first, Path.Combine(_scratch.Path, "moved-away"));
            Posix.Link(victimBytes, Encoding.UTF8.GetBytes(first));
            return Task.CompletedTask;
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(flagsBefore, Posix.GetFlags(victimBytes));
        Assert.Equal(2u, Posix.Lstat(victimBytes).Links); // itself and the planted name: no third name in the target
        Assert.Equal("later", System.IO.File.ReadAllText(Path.Combine(target, "later")));
        Assert.Equal(1, progress.Errors);
    }

    [Fact]
    public async Task A_file_swapped_for_a_hard_link_between_two_of_its_blobs_is_not_written_further()
    {
        var victim = Path.Combine(_scratch.Path, "victim");
        System.IO.File.WriteAllText(victim, "theirs");
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        var first = loader.AddBlob([.. Enumerable.Repeat((byte)'1', 4096)]);
        var second = loader.AddBlob([.. Enumerable.Repeat((byte)'2', 4096)]);
        loader.Trees[Id("root")] = [new Node { Name = "big"u8.ToArray(), Kind = FileKind.File, Mode = 0x9ED, Size = 8192, Content = [first, second], Mtime = Then, Atime = Then }];
        var big = Path.Combine(target, "big");
        loader.BeforeBlob[second] = () =>
        {
            System.IO.File.Move(big, Path.Combine(_scratch.Path, "moved-away"));
            Posix.Link(Encoding.UTF8.GetBytes(victim), Encoding.UTF8.GetBytes(big));
            return Task.CompletedTask;
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal("theirs", System.IO.File.ReadAllText(victim));
        Assert.NotEqual(0x9EDu, Posix.Lstat(Encoding.UTF8.GetBytes(victim)).Mode);
        Assert.Equal(1, progress.Errors);
    }

    [Fact]
    public async Task A_target_of_another_users_is_warned_about()
    {
        Assert.True(Posix.EffectiveUserId == 0, "a directory of another owner needs root");
        var target = Path.Combine(_scratch.Path, "target");
        System.IO.Directory.CreateDirectory(target);
        Posix.Lchown(Encoding.UTF8.GetBytes(target), 1234, 1234);
        var loader = new TreeLoader();
        loader.Trees[Id("root")] = [File("file")];
        var progress = new RestoreProgress();
        var messages = new List<string>();
        progress.WarningReceived = (_, m) => { lock (messages) messages.Add(m); };

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(["the target belongs to another user (uid 1234), who can reach what is restored into it"], messages);
        Assert.True(System.IO.File.Exists(Path.Combine(target, "file")));
        Assert.Equal(0, progress.Errors);
    }

    [Fact]
    public async Task A_file_made_anew_in_place_of_a_removed_one_between_two_of_its_blobs_is_not_written_further()
    {
        // ext4 gives the new file the removed one's inode number at once: only its birth time tells them apart.
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        var first = loader.AddBlob([.. Enumerable.Repeat((byte)'1', 4096)]);
        var second = loader.AddBlob([.. Enumerable.Repeat((byte)'2', 4096)]);
        loader.Trees[Id("root")] = [new Node { Name = "big"u8.ToArray(), Kind = FileKind.File, Mode = 0x1A4, Size = 8192, Content = [first, second], Mtime = Then, Atime = Then }];
        var big = Path.Combine(target, "big");
        loader.BeforeBlob[second] = () =>
        {
            System.IO.File.Delete(big);
            System.IO.File.WriteAllText(big, "theirs");
            return Task.CompletedTask;
        };
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal("theirs", System.IO.File.ReadAllText(big));
        Assert.Equal(1, progress.Errors);
    }

    [Fact]
    public async Task Links_and_flags_reach_a_file_after_the_restore_gave_it_its_owner()
    {
        // The file's identity is taken again once its owner changes: the owner is part of it.
        Assert.True(Posix.EffectiveUserId == 0, "giving a file another owner needs root");
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        var content = loader.AddBlob("shared"u8.ToArray());
        Node Name(string name) => new()
        {
            Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File, Mode = 0x1A4, Size = 6, Content = [content], Uid = 1234, Gid = 1234,
            Mtime = Then, Atime = Then, Flags = Posix.NoDumpFlag, Links = 2, Device = 1, Inode = 9,
        };
        loader.Trees[Id("root")] = [Name("first"), Name("second")];
        var progress = new RestoreProgress();

        var result = await new Restorer(loader, new RestoreOptions { NumericOwner = true }, progress).RunAsync(Directory("root", Id("root")), "/", target);

        var first = Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "first")));
        var second = Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "second")));
        Assert.Equal((first.Inode, 2u, 1234u), (second.Inode, first.Links, first.Uid));
        Assert.Equal(Posix.NoDumpFlag, Posix.GetFlags(Encoding.UTF8.GetBytes(Path.Combine(target, "first"))) & Posix.NoDumpFlag);
        Assert.Equal((0, 0L), (progress.Errors, result.MetadataNotApplied));
    }

    [Fact]
    public async Task A_directory_that_cannot_be_made_is_an_error_for_what_is_below_it_and_the_rest_is_restored()
    {
        // A name longer than the target's filesystem allows (a snapshot from another filesystem, or crafted).
        var target = Path.Combine(_scratch.Path, "target");
        var loader = new TreeLoader();
        loader.Trees[Id("b")] = [File("in-b")];
        loader.Trees[Id("a")] = [Directory(new string('b', 300), Id("b")), File("in-a")];
        loader.Trees[Id("z")] = [File("z")];
        loader.Trees[Id("root")] = [Directory("a", Id("a")), Directory("z", Id("z"))];
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.True(System.IO.File.Exists(Path.Combine(target, "z", "z")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "a", "in-a")));
        Assert.Equal(2, progress.Errors); // a/bbb… not made, a/bbb…/in-b not written
    }

    [Fact]
    public async Task A_file_or_symlink_where_the_snapshot_has_a_directory_is_replaced_by_it()
    {
        var outside = Path.Combine(_scratch.Path, "outside");
        System.IO.Directory.CreateDirectory(outside);
        var target = Path.Combine(_scratch.Path, "target");
        System.IO.Directory.CreateDirectory(target);
        System.IO.File.WriteAllText(Path.Combine(target, "was-a-file"), "old");
        System.IO.File.CreateSymbolicLink(Path.Combine(target, "was-a-link"), outside);
        var loader = new TreeLoader();
        loader.Trees[Id("inside")] = [File("x")];
        loader.Trees[Id("root")] = [Directory("was-a-file", Id("inside")), Directory("was-a-link", Id("inside"))];
        var progress = new RestoreProgress();

        await new Restorer(loader, new RestoreOptions(), progress).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.Equal(0, progress.Errors);
        Assert.True(System.IO.File.Exists(Path.Combine(target, "was-a-file", "x")));
        Assert.True(System.IO.File.Exists(Path.Combine(target, "was-a-link", "x")));
        Assert.Equal(FileKind.Directory, Posix.Lstat(Encoding.UTF8.GetBytes(Path.Combine(target, "was-a-link"))).Kind);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(outside));
    }

    [Theory]
    [InlineData("link", "")]
    [InlineData("link/", "")]
    [InlineData("link/restored", "restored")]
    [InlineData("link/new/restored/", "new/restored")]
    [InlineData("real/", "")]
    public async Task A_target_reached_through_a_symlink_to_a_directory_or_written_with_a_slash_lands_in_that_directory(string target, string below)
    {
        var loader = new TreeLoader();
        loader.Trees[Id("sub")] = [File("y")];
        loader.Trees[Id("root")] = [File("x"), Directory("sub", Id("sub"))];
        var real = Path.Combine(_scratch.Path, "real");
        System.IO.Directory.CreateDirectory(real);
        System.IO.File.CreateSymbolicLink(Path.Combine(_scratch.Path, "link"), "real");

        var result = await new Restorer(loader, new RestoreOptions(), new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", Path.Combine(_scratch.Path, target));

        Assert.Equal(0, result.Errors);
        Assert.True(System.IO.File.Exists(Path.Combine(real, below, "x")));
        Assert.True(System.IO.File.Exists(Path.Combine(real, below, "sub", "y")));
    }

    [Fact]
    public async Task A_directory_made_only_for_an_included_entry_gets_its_own_metadata()
    {
        var loader = new TreeLoader();
        loader.Trees[Id("b")] = [File("x"), File("y")];
        loader.Trees[Id("a")] = [Directory("b", Id("b"), mode: 0x1C0)];
        loader.Trees[Id("root")] = [Directory("a", Id("a"), mode: 0x1E8), File("z")];
        var target = Path.Combine(_scratch.Path, "target");
        var options = new RestoreOptions { Includes = ["/a/b/x"] };

        await new Restorer(loader, options, new RestoreProgress()).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.True(System.IO.File.Exists(Path.Combine(target, "a", "b", "x")));
        Assert.False(System.IO.File.Exists(Path.Combine(target, "a", "b", "y")));
        Assert.False(System.IO.File.Exists(Path.Combine(target, "z")));
        foreach (var (path, mode) in new[] { (Path.Combine(target, "a"), 0x1E8u), (Path.Combine(target, "a", "b"), 0x1C0u) })
        {
            var status = Posix.Lstat(Encoding.UTF8.GetBytes(path));
            Assert.Equal(mode, status.Mode);
            Assert.Equal(Then, status.Mtime);
        }
    }

    [Fact]
    public async Task Directories_kept_in_a_temporary_file_each_get_their_own_metadata()
    {
        // More directories than the memory given to keep them: they go to a temporary file in post-order and come
        // back each with its own node, every one after everything below it.
        var loader = new TreeLoader();
        var outer = new List<Node>();
        for (var i = 0; i < 40; i++)
        {
            loader.Trees[Id($"inner {i}")] = [File("f")];
            loader.Trees[Id($"outer {i}")] = [Directory("inner", Id($"inner {i}"), mode: 0x1C0 | (uint)(i % 8))];
            outer.Add(Directory($"d{i}", Id($"outer {i}"), mode: 0x1E8 | (uint)(i % 8)));
        }
        loader.Trees[Id("root")] = outer;
        var target = Path.Combine(_scratch.Path, "target");
        var temporary = _scratch.Sub("tmp");
        var directories = new DirectoriesToFinish(inMemoryBytes: 512, temporary);

        var result = await new Restorer(loader, new RestoreOptions(), new RestoreProgress(), directories).RunAsync(Directory("root", Id("root")), "/", target);

        Assert.True(directories.Spilled);
        Assert.Equal(80, directories.Count);
        Assert.Equal(0, result.Errors);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(temporary));
        for (var i = 0; i < 40; i++)
        {
            foreach (var (path, mode) in new[] { (Path.Combine(target, $"d{i}"), 0x1E8u | (uint)(i % 8)), (Path.Combine(target, $"d{i}", "inner"), 0x1C0u | (uint)(i % 8)) })
            {
                var status = Posix.Lstat(Encoding.UTF8.GetBytes(path));
                Assert.Equal(mode, status.Mode);
                Assert.Equal(Then, status.Mtime);
            }
        }
    }
}
