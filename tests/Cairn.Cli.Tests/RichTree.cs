using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Cli.Tests;

/// <summary>Builds a source tree with every kind of entry and metadata the spine must keep.</summary>
public static class RichTree
{
    public const string Marker = "CAIRN-PLAINTEXT-MARKER-7f3a9b";

    public static bool IsRoot => Posix.EffectiveUserId == 0;

    public static void Create(string root, bool withHugeFile)
    {
        var r = Bytes(root);
        Posix.Mkdir(r, 0x1ED);
        var random = new Random(42);
        WriteFile(r, "plain.txt", Encoding.UTF8.GetBytes("hello " + Marker + "\n"), 0x1A4);
        WriteFile(r, "empty", [], 0x1A4);
        WriteFile(r, [0x66, 0xff, 0xfe, 0x2e, 0x62, 0x69, 0x6e], RandomBytes(random, 5000), 0x1A4); // not UTF-8
        WriteFile(r, "new\nline", Encoding.UTF8.GetBytes("newline name"), 0x1A4);
        WriteFile(r, "tab\there", Encoding.UTF8.GetBytes("tab name"), 0x1A4);
        WriteFile(r, "back\\slash", Encoding.UTF8.GetBytes("backslash name"), 0x1A4);
        WriteFile(r, new string('n', 255), Encoding.UTF8.GetBytes("long name"), 0x1A4);
        WriteFile(r, "setuid", Encoding.UTF8.GetBytes("#!/bin/sh\n"), 0x9ED); // 04755
        WriteFile(r, "setgid-file", Encoding.UTF8.GetBytes("g"), 0x5ED); // 02755
        WriteFile(r, "no-permissions", Encoding.UTF8.GetBytes("none"), 0);
        WriteFile(r, "everyone-writes", Encoding.UTF8.GetBytes("more than a umask of 022 leaves"), 0x1B6); // 0666
        WriteFile(r, "read-only-chunks", RandomBytes(new Random(7), 3 * 1024 * 1024), 0x124); // 0444, written in pieces
        Posix.Mkdir(PathBytes.Join(r, "sticky"u8), 0x3FF); // 01777 after chmod
        Posix.Chmod(PathBytes.Join(r, "sticky"u8), 0x3FF);
        Posix.Mkdir(PathBytes.Join(r, "setgid-dir"u8), 0x5ED);
        Posix.Chmod(PathBytes.Join(r, "setgid-dir"u8), 0x5ED);
        Posix.Mkdir(PathBytes.Join(r, "empty-dir"u8), 0x1C0);

        var sizes = PathBytes.Join(r, "sizes"u8);
        Posix.Mkdir(sizes, 0x1ED);
        foreach (var size in new[] { 1, 511 * 1024, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 1024 * 1024, 8 * 1024 * 1024 - 1, 8 * 1024 * 1024, 8 * 1024 * 1024 + 1 })
            WriteFile(sizes, $"size-{size}", RandomBytes(random, size), 0x1A4);
        // A file that repeats another: deduplicated, restored twice.
        WriteFile(sizes, "copy-of-1MiB", File.ReadAllBytes(Path.Combine(root, "sizes", $"size-{1024 * 1024}")), 0x1A4);

        Posix.Symlink("plain.txt"u8, PathBytes.Join(r, "link"u8));
        Posix.Symlink("does/not/exist"u8, PathBytes.Join(r, "dangling"u8));
        Posix.Symlink(new byte[] { 0xc3, 0x28, 0x2f, 0x78 }, PathBytes.Join(r, "link-bad-utf8"u8));

        // A path deeper than 2,000 bytes.
        var deep = PathBytes.Join(r, "deep"u8);
        Posix.Mkdir(deep, 0x1ED);
        for (var i = 0; i < 24; i++)
        {
            deep = PathBytes.Join(deep, Encoding.ASCII.GetBytes($"level{i:00}-" + new string('d', 92)));
            Posix.Mkdir(deep, 0x1ED);
        }
        WriteFile(deep, "bottom.txt", Encoding.UTF8.GetBytes("deep file"), 0x1A4);

        if (IsRoot)
        {
            Posix.Lchown(PathBytes.Join(r, "plain.txt"u8), 1234, 5678);
            Posix.Lchown(PathBytes.Join(r, "link"u8), 4321, 8765);
            Posix.Lchown(PathBytes.Join(r, "sticky"u8), 65534, 65534);
            Posix.Lchown(PathBytes.Join(r, "everyone-writes"u8), 0, 4242); // the restorer's user, another group
            Posix.Chmod(PathBytes.Join(r, "setuid"u8), 0x9ED); // chown cleared nothing here, but be explicit
        }

        if (withHugeFile)
        {
            // Over 2 GiB: mostly a hole, with data at both ends.
            var huge = Path.Combine(root, "huge.bin");
            using var handle = File.OpenHandle(huge, FileMode.CreateNew, FileAccess.Write);
            RandomAccess.SetLength(handle, (2L << 30) + 12345);
            RandomAccess.Write(handle, RandomBytes(random, 100_000), 0);
            RandomAccess.Write(handle, RandomBytes(random, 100_000), (2L << 30) + 12345 - 100_000);
        }

        // Times last, deepest first, with nanoseconds, before 1970 and far ahead.
        SetTimes(PathBytes.Join(r, "plain.txt"u8), new PosixTime(1_600_000_000, 123_456_789), new PosixTime(1_500_000_000, 987_654_321));
        SetTimes(PathBytes.Join(r, "empty"u8), new PosixTime(-12_345_678, 999_999_999), new PosixTime(-1, 1));
        SetTimes(PathBytes.Join(r, "link"u8), new PosixTime(1_234_567_890, 5), new PosixTime(4_000_000_000, 6));
        SetTimes(sizes, new PosixTime(1_700_000_000, 42), new PosixTime(1_700_000_001, 43));
        SetTimes(PathBytes.Join(r, "empty-dir"u8), new PosixTime(1_000_000_000, 1), new PosixTime(1_000_000_000, 2));
    }

    public static byte[] Bytes(string path) => PathBytes.FromString(path);

    private static void WriteFile(byte[] dir, string name, byte[] content, uint mode) => WriteFile(dir, Encoding.UTF8.GetBytes(name), content, mode);

    private static void WriteFile(byte[] dir, byte[] name, byte[] content, uint mode)
    {
        var path = PathBytes.Join(dir, name);
        using (var handle = Posix.CreateNew(path, 0x180))
            RandomAccess.Write(handle, content, 0);
        Posix.Chmod(path, mode);
    }

    private static void SetTimes(byte[] path, PosixTime mtime, PosixTime atime) => Posix.SetTimes(path, atime, mtime);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
