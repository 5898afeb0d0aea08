using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>
/// The tree with every kind of metadata Cairn keeps: xattrs (binary, large, trusted.*, on a directory), access and
/// default ACLs, chattr flags, sparse files (three extents, a 1 TiB hole, written zeros), a hard-link group over
/// three directories, a 1,000-name link farm, a FIFO, devices and a symlink. Needs root.
/// </summary>
public static class FullMetadataTree
{
    private const long MiB = 1024 * 1024;

    public static async Task BuildAsync(string root)
    {
        foreach (var d in new[] { "a", "b", "c", "farm", "attrs", "sparse", "special" })
            Directory.CreateDirectory(Path.Combine(root, d));
        var random = new Random(17);

        // Attributes and ACLs on files and on a directory.
        var withAttrs = Path.Combine(root, "attrs", "file");
        File.WriteAllText(withAttrs, "attributes");
        var large = new byte[3000];
        random.NextBytes(large);
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Posix.SetXattr(PathBytes.FromString(withAttrs), "user.binary"u8, binary);
        Posix.SetXattr(PathBytes.FromString(withAttrs), "user.large"u8, large);
        Posix.SetXattr(PathBytes.FromString(withAttrs), "trusted.root-only"u8, "t"u8);
        Posix.SetXattr(PathBytes.FromString(Path.Combine(root, "attrs")), "user.directory"u8, "d"u8);
        Assert.Equal(0, await Shell.RunAsync("setfacl", "-m", "u:1234:rw,g:5678:r", withAttrs));
        Assert.Equal(0, await Shell.RunAsync("setfacl", "-m", "u:1234:rwx", Path.Combine(root, "attrs")));
        Assert.Equal(0, await Shell.RunAsync("setfacl", "-d", "-m", "u:1234:rx", Path.Combine(root, "attrs")));
        Assert.Equal(0, await Shell.RunAsync("chattr", "+d", withAttrs));
        Assert.Equal(0, await Shell.RunAsync("chattr", "+A", Path.Combine(root, "attrs")));

        // Sparse files.
        using (var h = File.OpenHandle(Path.Combine(root, "sparse", "three-extents"), FileMode.CreateNew, FileAccess.Write))
        {
            RandomAccess.SetLength(h, 12 * MiB);
            foreach (var offset in new[] { 0L, 4 * MiB, 8 * MiB })
            {
                var data = new byte[256 * 1024];
                random.NextBytes(data);
                RandomAccess.Write(h, data, offset);
            }
        }
        using (var h = File.OpenHandle(Path.Combine(root, "sparse", "all-hole"), FileMode.CreateNew, FileAccess.Write))
            RandomAccess.SetLength(h, 1L << 40);
        File.WriteAllBytes(Path.Combine(root, "sparse", "written-zeros"), new byte[MiB]);
        Posix.Lchown(PathBytes.FromString(Path.Combine(root, "sparse", "written-zeros")), 4321, 8765);
        Posix.Lchown(PathBytes.FromString(Path.Combine(root, "sparse")), 4321, 8765);

        // A hard-link group over three directories, and a link farm.
        var linked = Path.Combine(root, "a", "linked");
        var content = new byte[2 * MiB];
        random.NextBytes(content);
        File.WriteAllBytes(linked, content);
        Posix.Link(PathBytes.FromString(linked), PathBytes.FromString(Path.Combine(root, "b", "linked-too")));
        Posix.Link(PathBytes.FromString(linked), PathBytes.FromString(Path.Combine(root, "c", "linked-three")));
        var farmed = Path.Combine(root, "farm", "original");
        File.WriteAllText(farmed, "farmed");
        for (var i = 0; i < 1000; i++)
            Posix.Link(PathBytes.FromString(farmed), PathBytes.FromString(Path.Combine(root, "farm", $"name{i:000}")));

        // Special files and a symlink.
        var special = PathBytes.FromString(Path.Combine(root, "special"));
        Posix.MakeNode(PathBytes.Join(special, "fifo"u8), FileKind.Fifo, 0x1A4, 0);
        Posix.MakeNode(PathBytes.Join(special, "char"u8), FileKind.CharDevice, 0x1B6, (1UL << 32) | 5);
        Posix.MakeNode(PathBytes.Join(special, "block"u8), FileKind.BlockDevice, 0x1A0, (8UL << 32) | 17);
        Posix.Symlink("../a/linked"u8, PathBytes.Join(special, "symlink"u8));
    }

    /// <summary>
    /// Compares a restored copy with the source: names, every status field, data/hole maps, content, hard-link
    /// groups, xattrs and ACLs (getfattr, getfacl), and chattr flags when <paramref name="compareFlags"/>.
    /// </summary>
    public static async Task AssertSameAsync(string source, string target, bool compareFlags)
    {
        var entries = Directory.EnumerateFileSystemEntries(source, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(source, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(entries, Directory.EnumerateFileSystemEntries(target, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(target, p)).Order(StringComparer.Ordinal).ToList());
        var sourceGroups = new Dictionary<ulong, List<string>>();
        var targetGroups = new Dictionary<ulong, List<string>>();
        foreach (var entry in entries)
        {
            var s = Posix.Lstat(PathBytes.FromString(Path.Combine(source, entry)));
            var t = Posix.Lstat(PathBytes.FromString(Path.Combine(target, entry)));
            Assert.True((s.Kind, s.Mode, s.Uid, s.Gid, s.Size, s.Mtime, s.Rdev, s.Links) == (t.Kind, t.Mode, t.Uid, t.Gid, t.Size, t.Mtime, t.Rdev, t.Links),
                $"{entry}: {s} != {t}");
            if (s.Kind != FileKind.File)
                continue;
            if (s.Links < 100) // not once per name of the link farm: one Python process per call
                Assert.Equal(await SystemTools.DataMapAsync(Path.Combine(source, entry)), await SystemTools.DataMapAsync(Path.Combine(target, entry)));
            if (s.Size < 64 * MiB)
                Assert.True(File.ReadAllBytes(Path.Combine(source, entry)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(target, entry))), entry);
            if (s.Links > 1)
            {
                GroupOf(sourceGroups, s.Inode).Add(entry);
                GroupOf(targetGroups, t.Inode).Add(entry);
            }
        }
        Assert.Equal(sourceGroups.Values.Select(g => string.Join(",", g)).Order(), targetGroups.Values.Select(g => string.Join(",", g)).Order());
        Assert.Equal(2, sourceGroups.Count);
        Assert.Equal(await SystemTools.XattrsAsync(source), await SystemTools.XattrsAsync(target));
        Assert.Equal(await SystemTools.AclsAsync(source), await SystemTools.AclsAsync(target));
        if (!compareFlags)
            return;
        foreach (var directory in entries.Where(e => Directory.Exists(Path.Combine(source, e)) && !File.GetAttributes(Path.Combine(source, e)).HasFlag(FileAttributes.ReparsePoint)).Append("."))
            Assert.Equal(await SystemTools.FlagsAsync(Path.Combine(source, directory)), await SystemTools.FlagsAsync(Path.Combine(target, directory)));
    }

    private static List<string> GroupOf(Dictionary<ulong, List<string>> groups, ulong inode) =>
        groups.TryGetValue(inode, out var group) ? group : groups[inode] = [];
}
