using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Compares two trees entry by entry: every byte and every metadata field the spine keeps.</summary>
public static class TreeAssert
{
    public static int Same(string expectedRoot, string actualRoot, bool compareOwners, bool compareAtimes = true)
    {
        var count = 0;
        Compare(PathBytes.FromString(expectedRoot), PathBytes.FromString(actualRoot), compareOwners, compareAtimes, isRoot: true, ref count);
        return count;
    }

    private static void Compare(byte[] expected, byte[] actual, bool owners, bool atimes, bool isRoot, ref int count)
    {
        var e = Posix.Lstat(expected);
        var a = Posix.Lstat(actual);
        var where = Posix.Display(actual);
        Assert.True(e.Kind == a.Kind, $"{where}: kind {a.Kind}, expected {e.Kind}");
        Assert.True(e.Mode == a.Mode, $"{where}: mode {Convert.ToString(a.Mode, 8)}, expected {Convert.ToString(e.Mode, 8)}");
        if (owners)
        {
            Assert.True(e.Uid == a.Uid && e.Gid == a.Gid, $"{where}: owner {a.Uid}:{a.Gid}, expected {e.Uid}:{e.Gid}");
        }
        if (!isRoot)
            Assert.True(e.Mtime == a.Mtime, $"{where}: mtime {a.Mtime}, expected {e.Mtime}");
        if (atimes && e.Kind is FileKind.File or FileKind.Symlink)
            Assert.True(e.Atime == a.Atime, $"{where}: atime {a.Atime}, expected {e.Atime}");
        count++;
        switch (e.Kind)
        {
            case FileKind.File:
                Assert.True(e.Size == a.Size, $"{where}: size {a.Size}, expected {e.Size}");
                AssertSameContent(expected, actual, where);
                break;
            case FileKind.Symlink:
                Assert.True(Posix.ReadLink(expected).AsSpan().SequenceEqual(Posix.ReadLink(actual)), $"{where}: symlink target differs");
                break;
            case FileKind.Directory:
                var names = Posix.ReadDirectory(expected);
                var actualNames = Posix.ReadDirectory(actual);
                Assert.True(names.Count == actualNames.Count, $"{where}: {actualNames.Count} entries, expected {names.Count}");
                for (var i = 0; i < names.Count; i++)
                {
                    Assert.True(names[i].AsSpan().SequenceEqual(actualNames[i]), $"{where}: entry {Posix.Display(actualNames[i])}, expected {Posix.Display(names[i])}");
                    Compare(PathBytes.Join(expected, names[i]), PathBytes.Join(actual, actualNames[i]), owners, atimes, false, ref count);
                }
                // Reading the directories changed their atimes; mtimes were compared above, before reading.
                break;
        }
    }

    private static void AssertSameContent(byte[] expected, byte[] actual, string where)
    {
        using var x = Posix.OpenRead(expected);
        using var y = Posix.OpenRead(actual);
        var bx = new byte[1 << 20];
        var by = new byte[1 << 20];
        long offset = 0;
        while (true)
        {
            var n = RandomAccess.Read(x, bx, offset);
            var m = RandomAccess.Read(y, by, offset);
            Assert.True(n == m, $"{where}: length differs at {offset}");
            if (n == 0)
                return;
            Assert.True(bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, m)), $"{where}: content differs near offset {offset}");
            offset += n;
        }
    }
}
