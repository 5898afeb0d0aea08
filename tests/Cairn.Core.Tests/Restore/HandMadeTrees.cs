using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

/// <summary>IDs and directory nodes for restore tests that build a snapshot's trees by hand.</summary>
internal static class HandMadeTrees
{
    /// <summary>The time every hand-made node carries.</summary>
    public static readonly PosixTime Then = new(1_600_000_000, 123_000_000);

    /// <summary>A blob ID named after <paramref name="name"/>.</summary>
    public static BlobId Id(string name) => new(Digest.OfContent(Encoding.UTF8.GetBytes(name)));

    /// <summary>A directory whose entries are the tree <paramref name="subtree"/>.</summary>
    public static Node Directory(string name, BlobId subtree, uint mode = 0x1ED) =>
        new() { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.Directory, Subtree = subtree, Mode = mode, Mtime = Then, Atime = Then };
}
