using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Platform;

public sealed class PosixRoundTripTests : IDisposable
{
    private static readonly byte[] BadName = [(byte)'f', 0xff, 0xfe, (byte)'.', (byte)'b', (byte)'i', (byte)'n'];
    private readonly byte[] _dir;

    public PosixRoundTripTests()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cairn-posix-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _dir = Encoding.UTF8.GetBytes(dir);
    }

    public void Dispose()
    {
        // .NET cannot name entries that are not UTF-8, so remove those through Posix first.
        RemoveNonDirectories(_dir);
        Directory.Delete(Encoding.UTF8.GetString(_dir), recursive: true);
    }

    private static void RemoveNonDirectories(byte[] dir)
    {
        foreach (var name in Posix.ReadDirectory(dir))
        {
            var path = PathBytes.Join(dir, name);
            if (Posix.Lstat(path).Kind == FileKind.Directory)
                RemoveNonDirectories(path);
            else
                Posix.Unlink(path);
        }
    }

    private byte[] In(byte[] name) => PathBytes.Join(_dir, name);

    private byte[] In(string name) => In(Encoding.UTF8.GetBytes(name));

    private static void CreateFile(byte[] path, byte[] content)
    {
        using var handle = Posix.CreateNew(path);
        RandomAccess.Write(handle, content, 0);
    }

    [Fact]
    public void CreateNew_NonUtf8Name_IsListedAndStatted()
    {
        var content = TestData.RandomBytes(12345, 1);
        CreateFile(In(BadName), content);

        var status = Posix.Lstat(In(BadName));

        Assert.Equal(FileKind.File, status.Kind);
        Assert.Equal(content.Length, status.Size);
        Assert.Equal(0x180u, status.Mode);
        Assert.Equal(1u, status.Links);
        Assert.Equal(Posix.EffectiveUserId, status.Uid);
        Assert.NotEqual(0ul, status.Inode);
        Assert.Equal([BadName], Posix.ReadDirectory(_dir));
    }

    [Fact]
    public void CreateNew_ContentReadsBackThroughOpenRead()
    {
        var content = TestData.RandomBytes(5000, 2);
        CreateFile(In(BadName), content);

        using var handle = Posix.OpenRead(In(BadName));
        var back = new byte[content.Length + 10];
        var n = RandomAccess.Read(handle, back, 0);

        Assert.Equal(content.Length, n);
        Assert.Equal(content, back[..n]);
        Assert.Equal(Posix.Lstat(In(BadName)).Inode, Posix.Fstat(handle).Inode);
    }

    [Fact]
    public void CreateNew_ExistingName_ThrowsEexist()
    {
        CreateFile(In(BadName), [1]);

        var e = Assert.Throws<PosixException>(() => Posix.CreateNew(In(BadName)).Dispose());

        Assert.Equal(PosixException.EEXIST, e.Errno);
        Assert.Contains(@"\xff\xfe", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetTimes_NanosecondsSurviveLstat()
    {
        CreateFile(In(BadName), [1, 2, 3]);
        var atime = new PosixTime(1_000_000_000, 123_456_789);
        var mtime = new PosixTime(1_234_567_890, 987_654_321);

        Posix.SetTimes(In(BadName), atime, mtime);
        var status = Posix.Lstat(In(BadName));

        Assert.Equal(mtime, status.Mtime);
        Assert.Equal(atime, status.Atime);
        Assert.True(status.Ctime.CompareTo(mtime) > 0, "ctime is the time of the change, after the set mtime");
    }

    [Fact]
    public void SetTimes_BeforeTheEpoch_SurvivesLstat()
    {
        CreateFile(In("old"), [1]);
        var mtime = new PosixTime(-86_400 * 365, 5);

        Posix.SetTimes(In("old"), mtime, mtime);

        Assert.Equal(mtime, Posix.Lstat(In("old")).Mtime);
    }

    [Fact]
    public void ReadDirectory_ListsEveryNameSortedByBytes()
    {
        CreateFile(In(BadName), [1]);
        CreateFile(In("b"), [1]);
        CreateFile(In("B"), [1]);
        CreateFile(In(".hidden"), [1]);
        CreateFile(In("a\nnewline"), [1]);
        Posix.Mkdir(In("sub"));

        var names = Posix.ReadDirectory(_dir);

        Assert.Equal(
            new[] { ".hidden"u8.ToArray(), "B"u8.ToArray(), "a\nnewline"u8.ToArray(), "b"u8.ToArray(), BadName, "sub"u8.ToArray() },
            names);
    }

    [Fact]
    public void ReadDirectory_EmptyDirectory_IsEmpty()
    {
        Assert.Empty(Posix.ReadDirectory(_dir));
    }

    [Fact]
    public void Symlink_TargetReadsBackAsBytes()
    {
        byte[] target = [.. "../"u8, 0xff, .. "/x"u8];

        Posix.Symlink(target, In(BadName));
        var status = Posix.Lstat(In(BadName));

        Assert.Equal(target, Posix.ReadLink(In(BadName)));
        Assert.Equal(FileKind.Symlink, status.Kind);
        Assert.Equal(target.Length, status.Size);
    }

    [Fact]
    public void ReadLink_LongTarget_ReadsBackWhole()
    {
        var target = Encoding.UTF8.GetBytes(string.Join('/', Enumerable.Repeat("component", 100)));

        Posix.Symlink(target, In("long"));

        Assert.Equal(target, Posix.ReadLink(In("long")));
    }

    [Fact]
    public void SetTimes_OnSymlink_ChangesTheLinkNotItsTarget()
    {
        CreateFile(In("target"), [1]);
        Posix.Symlink("target"u8, In("link"));
        var targetMtime = Posix.Lstat(In("target")).Mtime;
        var mtime = new PosixTime(1_500_000_000, 42);

        Posix.SetTimes(In("link"), mtime, mtime);

        Assert.Equal(mtime, Posix.Lstat(In("link")).Mtime);
        Assert.Equal(targetMtime, Posix.Lstat(In("target")).Mtime);
    }

    [Fact]
    public void Mkdir_CreatesADirectoryAndAcceptsAnExistingOne()
    {
        var name = "dé"u8.ToArray(); // .NET must be able to name it to clean up: Posix has no rmdir

        Posix.Mkdir(In(name));
        Posix.Mkdir(In(name));

        Assert.Equal(FileKind.Directory, Posix.Lstat(In(name)).Kind);
        Assert.Equal(0x1C0u, Posix.Lstat(In(name)).Mode);
    }

    [Fact]
    public void Chmod_SetsThePermissionBits()
    {
        CreateFile(In(BadName), [1]);

        Posix.Chmod(In(BadName), 0x1ED);

        Assert.Equal(0x1EDu, Posix.Lstat(In(BadName)).Mode);
    }

    [Fact]
    public void Lstat_MissingEntry_ThrowsNotFound()
    {
        var e = Assert.Throws<PosixException>(() => Posix.Lstat(In(BadName)));

        Assert.True(e.IsNotFound);
        Assert.Equal(PosixException.ENOENT, e.Errno);
    }

    [Fact]
    public void Unlink_RemovesAndAcceptsAMissingEntry()
    {
        CreateFile(In(BadName), [1]);

        Posix.Unlink(In(BadName));
        Posix.Unlink(In(BadName));

        Assert.Empty(Posix.ReadDirectory(_dir));
    }

    [Fact]
    public void Xattrs_ReadThroughAnOpenFile_AreThoseReadByPath()
    {
        var path = In(BadName);
        CreateFile(path, [1]);
        var large = TestData.RandomBytes(3000, 3); // past the first read's 1 KiB: the read grows its buffer
        Posix.SetXattr(path, "user.large"u8, large);
        Posix.SetXattr(path, "user.empty"u8, []);
        using var handle = Posix.OpenRead(path);

        var names = Posix.ListXattrNames(handle, path);

        Assert.Equal(Posix.ListXattrNames(path), names);
        Assert.Equal(["user.empty", "user.large"], names.Select(Encoding.UTF8.GetString).Order());
        Assert.Equal(large, Posix.GetXattr(handle, "user.large"u8, path));
        Assert.Equal([], Posix.GetXattr(handle, "user.empty"u8, path)!);
        Assert.Null(Posix.GetXattr(handle, "user.missing"u8, path));
    }

    [Fact]
    public void Paths_WithANulByte_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => Posix.Lstat([.. _dir, (byte)'/', (byte)'a', 0, (byte)'b']));
    }
}
