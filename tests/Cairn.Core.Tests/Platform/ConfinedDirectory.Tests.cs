using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Tests.Archive;

namespace Cairn.Core.Tests.Platform;

/// <summary>
/// Below a <see cref="ConfinedDirectory"/> no symlink is followed, by any call: a directory swapped for a symlink to
/// somewhere else fails every call through it and changes nothing there; the directory itself may be reached
/// through a symlink. Nothing goes into a directory it did not make or take in: one put in place of a directory it
/// made gets nothing, and one that was there is made the user's first unless the caller keeps it as it is.
/// </summary>
public sealed class ConfinedDirectoryTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();
    private readonly string _outside;
    private readonly string _root;

    public ConfinedDirectoryTests()
    {
        _outside = _scratch.Sub("outside");
        System.IO.File.WriteAllText(Path.Combine(_outside, "victim"), "outside");
        Posix.Chmod(Bytes(Path.Combine(_outside, "victim")), 0x1A4);
        _root = _scratch.Sub("root");
        System.IO.File.CreateSymbolicLink(Path.Combine(_root, "leaf"), Path.Combine(_outside, "victim"));
    }

    public void Dispose() => _scratch.Dispose();

    private static byte[] Bytes(string path) => Encoding.UTF8.GetBytes(path);

    private byte[] In(params string[] names) => Bytes(Path.Combine([_root, .. names]));

    public static TheoryData<string, bool> Calls()
    {
        var calls = new TheoryData<string, bool>();
        foreach (var withOpenat2 in new[] { true, false })
        {
            foreach (var call in new[] { "create", "write", "read", "flags", "directory", "entry", "mkdir", "unlink", "symlink", "fifo", "link", "deeper" })
                calls.Add(call, withOpenat2);
        }
        return calls;
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_call_through_a_symlinked_directory_fails_and_leaves_its_target_alone(string call, bool withOpenat2)
    {
        // No handle kept on "sub": every call opens it again by its path, which now leads through a symlink.
        using var root = ConfinedDirectory.Open(Bytes(_root), withOpenat2, openDirectories: 0);
        root.Mkdir(In("real"));
        root.Mkdir(In("real", "below"));
        root.Mkdir(In("sub"));
        System.IO.Directory.Move(Path.Combine(_root, "sub"), Path.Combine(_scratch.Path, "moved-away"));
        System.IO.File.CreateSymbolicLink(Path.Combine(_root, "sub"), _outside);
        var victim = In("sub", "victim");
        var before = Posix.Lstat(Bytes(Path.Combine(_outside, "victim")));
        System.IO.File.WriteAllText(Path.Combine(_root, "own"), "own");

        var e = Assert.ThrowsAny<PosixException>(() =>
        {
            switch (call)
            {
                case "create": root.CreateNew(In("sub", "new"), 0x1A4).Dispose(); break;
                case "write": root.OpenForWrite(victim).Dispose(); break;
                case "read": root.OpenRead(victim).Dispose(); break;
                case "flags": root.OpenForFlags(victim).Dispose(); break;
                case "directory": root.OpenDirectory(In("sub")).Dispose(); break;
                case "deeper": root.CreateNew(In("real", "below", "..", "..", "sub", "new"), 0x1A4).Dispose(); break;
                case "mkdir": root.Mkdir(In("sub", "new")); break;
                case "unlink": root.Unlink(victim); break;
                case "symlink": root.Symlink(Bytes("/etc"), In("sub", "new")); break;
                case "fifo": root.MakeNode(In("sub", "new"), FileKind.Fifo, 0x1A4, 0); break;
                case "link":
                    using (var own = root.OpenEntry(In("own")))
                        root.LinkTo(own, In("sub", "new"));
                    break;
                case "entry": root.OpenEntry(victim).Dispose(); break;
                default: throw new ArgumentException(call);
            }
        });

        // A symlink on the way, or one where a directory must be; ".." leads to no directory made here.
        Assert.Contains(e.Errno, call == "deeper" ? [PosixException.ENOENT] : new[] { PosixException.ELOOP, PosixException.ENOTDIR });
        Assert.Equal(["victim"], System.IO.Directory.GetFileSystemEntries(_outside).Select(p => Path.GetFileName(p)!).ToArray());
        Assert.Equal(before, Posix.Lstat(Bytes(Path.Combine(_outside, "victim"))));
        Assert.Equal("outside", System.IO.File.ReadAllText(Path.Combine(_outside, "victim")));
    }

    [Fact]
    public void A_symlink_in_place_of_an_entry_is_changed_itself_or_not_at_all()
    {
        using var root = ConfinedDirectory.Open(Bytes(_root));
        var before = Posix.Lstat(Bytes(Path.Combine(_outside, "victim")));

        using (var entry = root.OpenEntry(In("leaf")))
        {
            Assert.Equal(FileKind.Symlink, Posix.Fstat(entry).Kind);
            Assert.ThrowsAny<PosixException>(() => Posix.ChmodEntry(entry, 0x1FF, In("leaf")));
            Posix.ChownEntry(entry, 65534, 65534, In("leaf"));
            Posix.SetTimesEntry(entry, new PosixTime(1, 0), new PosixTime(1, 0), In("leaf"));
            Posix.SetXattrEntry(entry, Bytes("trusted.planted"), Bytes("x"), In("leaf"));
        }
        Assert.ThrowsAny<PosixException>(() => root.OpenForWrite(In("leaf")).Dispose());

        var link = Posix.Lstat(In("leaf"));
        Assert.Equal((65534u, new PosixTime(1, 0)), (link.Uid, link.Mtime));
        Assert.Equal(before, Posix.Lstat(Bytes(Path.Combine(_outside, "victim"))));
        Assert.Null(Posix.GetXattr(Bytes(Path.Combine(_outside, "victim")), Bytes("trusted.planted")));
    }

    [Fact]
    public void The_directory_itself_may_be_reached_through_a_symlink_and_named_as_its_own_entry()
    {
        var link = Path.Combine(_scratch.Path, "link-to-root");
        System.IO.File.CreateSymbolicLink(link, _root);
        using var root = ConfinedDirectory.Open(Bytes(link + "/"));

        root.Mkdir(Bytes(Path.Combine(link, "made")));
        using (var file = root.CreateNew(Bytes(Path.Combine(link, "made", "file")), 0x1A4))
            Posix.Pwrite(file, "data"u8, 0);
        using (var itself = root.OpenEntry(Bytes(link)))
        {
            Posix.ChmodEntry(itself, 0x1E8, Bytes(link));
            Posix.SetTimesEntry(itself, new PosixTime(1_000_000_000, 5), new PosixTime(1_000_000_000, 7), Bytes(link));
        }

        Assert.Equal("data", System.IO.File.ReadAllText(Path.Combine(_root, "made", "file")));
        var status = Posix.Lstat(Bytes(_root));
        Assert.Equal(0x1E8u, status.Mode);
        Assert.Equal(new PosixTime(1_000_000_000, 7), status.Mtime);
        Assert.Equal(FileKind.Symlink, Posix.Lstat(Bytes(link)).Kind);
    }

    [Theory]
    [InlineData(ConfinedDirectory.OpenDirectories)]
    [InlineData(0)]
    public void A_directory_put_in_place_of_one_made_here_gets_nothing(int openDirectories)
    {
        using var root = ConfinedDirectory.Open(Bytes(_root), withOpenat2: true, openDirectories);
        root.Mkdir(In("made"));
        var moved = Path.Combine(_root, "moved");
        System.IO.Directory.Move(Path.Combine(_root, "made"), moved);
        var planted = Path.Combine(_root, "made");
        System.IO.Directory.CreateDirectory(planted);
        Posix.Lchown(Bytes(planted), 1234, 1234);

        if (openDirectories > 0)
        {
            // Through the handle kept on it: the directory made here receives the file, wherever it was moved.
            root.CreateNew(In("made", "file"), 0x1A4).Dispose();
            root.Mkdir(In("made", "below"));
            Assert.Equal(["below", "file"], System.IO.Directory.GetFileSystemEntries(moved).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray());
        }
        else
        {
            var e = Assert.Throws<PosixException>(() => root.CreateNew(In("made", "file"), 0x1A4).Dispose());
            Assert.Equal(PosixException.ESTALE, e.Errno);
            Assert.Contains("replaced during the restore", e.Message, StringComparison.Ordinal);
            Assert.Throws<PosixException>(() => root.Mkdir(In("made", "below")));
        }
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(planted));
        Assert.Equal(PosixException.ESTALE, Assert.Throws<PosixException>(() => root.OpenDirectory(In("made")).Dispose()).Errno);
        Assert.Equal(PosixException.ESTALE, Assert.Throws<PosixException>(() => root.OpenEntry(In("made")).Dispose()).Errno);
        Assert.Equal(PosixException.ESTALE, Assert.Throws<PosixException>(() => root.OpenForFlags(In("made")).Dispose()).Errno);
    }

    [Fact]
    public void Directories_whose_handles_were_closed_for_others_are_reopened_and_still_told_apart_from_one_put_in_their_place()
    {
        // Two handles kept for five directories: each entry made in turn closes the least recently used handle, and
        // the next entry in that directory opens it again and checks it is the one made here.
        using var root = ConfinedDirectory.Open(Bytes(_root), withOpenat2: true, openDirectories: 2);
        var names = new[] { "a", "b", "c", "d", "e" };
        foreach (var name in names)
            root.Mkdir(In(name));
        for (var round = 0; round < 2; round++)
        {
            foreach (var name in names)
                root.CreateNew(In(name, $"file{round}"), 0x1A4).Dispose();
        }
        var planted = Path.Combine(_root, "b");
        System.IO.Directory.Move(planted, Path.Combine(_root, "moved-b"));
        System.IO.Directory.CreateDirectory(planted);

        root.CreateNew(In("e", "file2"), 0x1A4).Dispose(); // "e" is kept open; "b" was closed long ago
        var e = Assert.Throws<PosixException>(() => root.CreateNew(In("b", "file2"), 0x1A4).Dispose());

        Assert.Equal(PosixException.ESTALE, e.Errno);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(planted));
        foreach (var name in names.Where(n => n != "b"))
            Assert.Equal(name == "e" ? 3 : 2, System.IO.Directory.GetFiles(Path.Combine(_root, name)).Length);
        Assert.Equal(2, System.IO.Directory.GetFiles(Path.Combine(_root, "moved-b")).Length);
    }

    [Fact]
    public void Nothing_is_made_in_a_directory_that_was_not_made_or_taken_in_here()
    {
        using var root = ConfinedDirectory.Open(Bytes(_root));
        System.IO.Directory.CreateDirectory(Path.Combine(_root, "theirs"));

        var e = Assert.Throws<PosixException>(() => root.CreateNew(In("theirs", "file"), 0x1A4).Dispose());

        Assert.Equal(PosixException.ENOENT, e.Errno);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(_root, "theirs")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_directory_that_was_there_is_made_the_users_before_anything_goes_in_unless_it_is_kept(bool kept)
    {
        Assert.True(Posix.EffectiveUserId == 0, "giving a directory to another owner needs root");
        using var root = ConfinedDirectory.Open(Bytes(_root));
        var theirs = In("theirs");
        System.IO.Directory.CreateDirectory(Path.Combine(_root, "theirs"));
        Posix.Lchown(theirs, 1234, 1234);
        Posix.Chmod(theirs, 0x3FF); // 01777
        FileStatus? seen = null;

        var made = root.Mkdir(theirs, keeps: status => { seen = status; return kept; });
        using (var file = root.CreateNew(In("theirs", "file"), 0x180))
            Posix.Pwrite(file, "secret"u8, 0);

        Assert.False(made);
        Assert.Equal((1234u, 0x3FFu), (seen!.Uid, seen.Mode));
        var now = Posix.Lstat(theirs);
        Assert.Equal(kept ? (1234u, 1234u, 0x3FFu) : (Posix.EffectiveUserId, Posix.EffectiveGroupId, 0x1C0u), (now.Uid, now.Gid, now.Mode));
        Assert.Equal("secret", System.IO.File.ReadAllText(Path.Combine(_root, "theirs", "file")));
    }

    [Fact]
    public void A_directory_made_anew_in_place_of_a_removed_one_is_refused_though_it_has_its_inode_number()
    {
        // ext4 hands a freed inode number to the next directory at once: device and inode alone would match.
        using var root = ConfinedDirectory.Open(Bytes(_root), withOpenat2: true, openDirectories: 0);
        root.Mkdir(In("made"));
        var made = Path.Combine(_root, "made");
        System.IO.Directory.Delete(made);
        System.IO.Directory.CreateDirectory(made);
        Posix.Lchown(Bytes(made), 1234, 1234);

        var e = Assert.Throws<PosixException>(() => root.CreateNew(In("made", "file"), 0x1A4).Dispose());

        Assert.Equal(PosixException.ESTALE, e.Errno);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(made));
    }

    [Fact]
    public void A_directory_that_cannot_be_made_the_users_is_refused()
    {
        Assert.True(Posix.EffectiveUserId == 0, "giving a directory to another owner needs root");
        using var root = ConfinedDirectory.Open(Bytes(_root));
        var theirs = In("theirs");
        System.IO.Directory.CreateDirectory(Path.Combine(_root, "theirs"));
        Posix.Lchown(theirs, 1234, 1234);
        Posix.Chmod(theirs, 0x1FF);
        const uint Immutable = 0x10; // refuses a new owner and mode, as some filesystems and servers do
        using (var handle = Posix.OpenRead(theirs))
            Posix.SetFlags(handle, Immutable, theirs);
        try
        {
            var e = Assert.Throws<PosixException>(() => root.Mkdir(theirs, keeps: _ => false));

            Assert.Equal(PosixException.EPERM, e.Errno);
            Assert.Contains("cannot be made the restore's", e.Message, StringComparison.Ordinal);
            Assert.Equal(PosixException.ENOENT, Assert.Throws<PosixException>(() => root.CreateNew(In("theirs", "file"), 0x1A4).Dispose()).Errno);
        }
        finally
        {
            using var handle = Posix.OpenRead(theirs);
            Posix.SetFlags(handle, 0, theirs);
        }
        Assert.Equal((1234u, 0x1FFu), (Posix.Lstat(theirs).Uid, Posix.Lstat(theirs).Mode));
    }

    [Fact]
    public void A_directory_made_here_and_renamed_into_the_place_of_a_removed_one_is_refused()
    {
        // The second directory gets the removed one's inode number (ext4) and has the same owner: only its birth time
        // tells it apart.
        using var root = ConfinedDirectory.Open(Bytes(_root), withOpenat2: true, openDirectories: 0);
        root.Mkdir(In("first"));
        System.IO.Directory.Delete(Path.Combine(_root, "first"));
        root.Mkdir(In("second"));
        System.IO.Directory.Move(Path.Combine(_root, "second"), Path.Combine(_root, "first"));

        var e = Assert.Throws<PosixException>(() => root.CreateNew(In("first", "file"), 0x1A4).Dispose());

        Assert.Equal(PosixException.ESTALE, e.Errno);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(Path.Combine(_root, "first")));
    }
}
