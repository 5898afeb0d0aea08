using System.Text;
using Cairn.Core.Platform;
using Cairn.Core.Restore;
using Cairn.Core.Trees;
using static Cairn.Core.Tests.Restore.HandMadeTrees;

namespace Cairn.Core.Tests.Restore;

/// <summary>The directories a restore keeps for the end: in memory while few, then in an unlinked temporary file.</summary>
public sealed class DirectoriesToFinishTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static Node Made(int i) => new()
    {
        Name = Encoding.UTF8.GetBytes($"d{i}"), Kind = FileKind.Directory, Mode = (uint)(0x1C0 + i % 64), Uid = (uint)i, Gid = 7,
        User = "someone", Mtime = new PosixTime(1_600_000_000 + i, (uint)i), Atime = Then, Subtree = Id($"tree {i}"),
        Xattrs = [new ExtendedAttribute("user.i"u8.ToArray(), Encoding.UTF8.GetBytes($"{i}"))],
    };

    private static byte[] PathOf(int i) => Encoding.UTF8.GetBytes($"/target/a/d{i}");

    [Theory]
    [InlineData(10, false)]
    [InlineData(500, true)]
    public void Gives_back_every_directory_in_the_order_added_with_its_metadata_but_not_its_listing(int count, bool spills)
    {
        var temporary = _scratch.Sub("tmp");
        using var directories = new DirectoriesToFinish(inMemoryBytes: 4096, temporary);
        for (var i = 0; i < count; i++)
            directories.Add(PathOf(i), Made(i));

        var back = directories.InOrder().ToList();

        Assert.Equal(spills, directories.Spilled);
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(temporary)); // unlinked as soon as made
        Assert.Equal(count, back.Count);
        for (var i = 0; i < count; i++)
        {
            var (path, node) = back[i];
            var made = Made(i);
            Assert.Equal(PathOf(i), path);
            Assert.Equal(made.Name, node.Name);
            Assert.Equal((made.Mode, made.Uid, made.Gid, made.User, made.Mtime, made.Atime), (node.Mode, node.Uid, node.Gid, node.User, node.Mtime, node.Atime));
            Assert.Equal(made.Xattrs[0].Value, Assert.Single(node.Xattrs).Value);
            Assert.Null(node.Subtree);
        }
    }

    [Fact]
    public void A_temporary_directory_that_cannot_be_written_to_fails_with_a_message_naming_it_and_tmpdir()
    {
        var missing = Path.Combine(_scratch.Path, "missing");
        using var directories = new DirectoriesToFinish(inMemoryBytes: 256, missing);

        var e = Assert.Throws<CairnException>(() =>
        {
            for (var i = 0; i < 100; i++)
                directories.Add(PathOf(i), Made(i));
        });

        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("TMPDIR", e.Message, StringComparison.Ordinal);
    }
}
