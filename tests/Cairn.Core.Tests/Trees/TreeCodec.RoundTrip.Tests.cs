using System.Text;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Trees;

public sealed class TreeCodecRoundTripTests
{
    private static BlobId Id(int n) => new(new Digest(TestData.RandomBytes(32, 700 + n)));

    private static void AssertSameNode(Node expected, Node actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.Uid, actual.Uid);
        Assert.Equal(expected.Gid, actual.Gid);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.Group, actual.Group);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.Mtime, actual.Mtime);
        Assert.Equal(expected.Atime, actual.Atime);
        Assert.Equal(expected.Ctime, actual.Ctime);
        Assert.Equal(expected.Inode, actual.Inode);
        Assert.Equal(expected.Device, actual.Device);
        Assert.Equal(expected.Links, actual.Links);
        Assert.Equal(expected.Content, actual.Content);
        Assert.Equal(expected.Subtree, actual.Subtree);
        Assert.Equal(expected.LinkTarget, actual.LinkTarget);
        Assert.Equal(expected.Rdev, actual.Rdev);
        Assert.Equal(expected.Extents, actual.Extents);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Xattrs.Count, actual.Xattrs.Count);
        for (var i = 0; i < expected.Xattrs.Count; i++)
        {
            Assert.Equal(expected.Xattrs[i].Name, actual.Xattrs[i].Name);
            Assert.Equal(expected.Xattrs[i].Value, actual.Xattrs[i].Value);
        }
    }

    /// <summary>Nodes with every field set, to unusual values; already in byte order of their names.</summary>
    internal static List<Node> AllFieldNodes() =>
    [
        new Node
        {
            Name = "a\nb\tc\\d"u8.ToArray(), Kind = FileKind.File, Mode = 0x9ED, Uid = 1000, Gid = 100,
            User = "jürgen", Group = "", Size = 123_456_789_012,
            Mtime = new PosixTime(-1_234_567_890, 999_999_999), Atime = new PosixTime(-1, 1), Ctime = new PosixTime(1_700_000_000, 123_456_789),
            Inode = 1234567, Device = (8UL << 32) | 1, Links = 3,
            Content = [Id(1), Id(2), Id(3), Id(1)],
            Flags = 0x00800030,
            Xattrs =
            [
                new ExtendedAttribute("system.posix_acl_access"u8.ToArray(), [2, 0, 0, 0, 1, 0, 6, 0, 255, 255, 255, 255]),
                new ExtendedAttribute("trusted.x"u8.ToArray(), []),
                new ExtendedAttribute("user.\u00ff"u8.ToArray(), TestData.RandomBytes(70_000, 5)),
            ],
        },
        new Node
        {
            Name = "dir"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x3FF, Uid = 0, Gid = 0,
            User = "root", Group = "root",
            Mtime = new PosixTime(long.MinValue, 0), Atime = new PosixTime(long.MaxValue, 999_999_999), Ctime = new PosixTime(0, 0),
            Inode = ulong.MaxValue, Device = ulong.MaxValue, Links = uint.MaxValue,
            Subtree = Id(4),
        },
        new Node
        {
            Name = "dir2"u8.ToArray(), Kind = FileKind.Directory, Subtree = Id(4), // equal subtree: deduplicated directories
        },
        new Node
        {
            Name = "link"u8.ToArray(), Kind = FileKind.Symlink, Mode = 0x1FF, Uid = uint.MaxValue, Gid = uint.MaxValue,
            Size = 6, Mtime = new PosixTime(1, 500), Atime = new PosixTime(2, 600), Ctime = new PosixTime(3, 700),
            LinkTarget = [(byte)'.', (byte)'.', (byte)'/', 0xff, 0x0a, 0xfe],
        },
        new Node
        {
            Name = "loop0"u8.ToArray(), Kind = FileKind.BlockDevice, Mode = 0x1B0, Rdev = (7UL << 32) | 0, Device = 5,
        },
        new Node
        {
            Name = "null"u8.ToArray(), Kind = FileKind.CharDevice, Mode = 0x1B6, Rdev = (1UL << 32) | 3,
        },
        new Node
        {
            Name = Encoding.UTF8.GetBytes(new string('x', 255)), Kind = FileKind.Fifo, Mode = 0x1A4,
            LinkTarget = [], // empty, not absent
        },
        new Node
        {
            Name = "ünïcödé"u8.ToArray(), Kind = FileKind.Socket, Mode = 0x1ED, User = null, Group = null,
        },
        new Node
        {
            Name = [0xff, 0xfe], Kind = FileKind.File, Mode = 0x180, Size = 1, Content = [Id(5)],
        },
    ];

    [Fact]
    public void Encode_ThenDecode_KeepsEveryField()
    {
        var nodes = AllFieldNodes();

        var decoded = TreeCodec.Decode(TreeCodec.Encode(nodes), "tree x");

        Assert.Equal(nodes.Count, decoded.Count);
        for (var i = 0; i < nodes.Count; i++)
            AssertSameNode(nodes[i], decoded[i]);
    }

    [Fact]
    public void Decode_KeepsNullAndEmptyApart()
    {
        var decoded = TreeCodec.Decode(TreeCodec.Encode(AllFieldNodes()), "tree x");

        Assert.Equal("", decoded[0].Group);
        Assert.Null(decoded[7].User);
        Assert.Null(decoded[7].Group);
        Assert.NotNull(decoded[6].LinkTarget);
        Assert.Empty(decoded[6].LinkTarget!);
        Assert.Null(decoded[0].LinkTarget);
        Assert.Null(decoded[0].Subtree);
        Assert.Empty(decoded[1].Content);
    }

    [Fact]
    public void Encode_SortsNodesByNameBytes()
    {
        var nodes = AllFieldNodes();
        var shuffled = nodes.AsEnumerable().Reverse().ToList();
        (shuffled[2], shuffled[5]) = (shuffled[5], shuffled[2]);

        var decoded = TreeCodec.Decode(TreeCodec.Encode(shuffled), "tree x");

        Assert.Equal(nodes.Select(n => n.Name), decoded.Select(n => n.Name));
        for (var i = 1; i < decoded.Count; i++)
            Assert.True(decoded[i - 1].Name.AsSpan().SequenceCompareTo(decoded[i].Name) < 0);
    }

    [Fact]
    public void Encode_ByteOrderNotStringOrder()
    {
        Node N(byte[] name) => new() { Name = name, Kind = FileKind.File };
        var nodes = new[] { N("b"u8.ToArray()), N([0xc3, 0xa9]), N("B"u8.ToArray()), N("a"u8.ToArray()), N([0x7f]) };

        var decoded = TreeCodec.Decode(TreeCodec.Encode(nodes), "tree x");

        Assert.Equal(
            new[] { "B"u8.ToArray(), "a"u8.ToArray(), "b"u8.ToArray(), [0x7f], [0xc3, 0xa9] },
            decoded.Select(n => n.Name));
    }

    [Fact]
    public void Encode_AnyInputOrder_GivesTheSameBytes()
    {
        var nodes = AllFieldNodes();
        var reversed = nodes.AsEnumerable().Reverse().ToList();

        Assert.Equal(TreeCodec.Encode(nodes), TreeCodec.Encode(reversed));
    }

    [Fact]
    public void Encode_NoNodes_RoundTrips()
    {
        var bytes = TreeCodec.Encode([]);

        Assert.Equal(new byte[] { 1, 0, 0 }, bytes);
        Assert.Empty(TreeCodec.Decode(bytes, "tree x"));
    }

    [Fact]
    public void Encode_ManyNodes_RoundTrips()
    {
        var nodes = Enumerable.Range(0, 5000)
            .Select(i => new Node { Name = Encoding.UTF8.GetBytes($"file-{i:D5}"), Kind = FileKind.File, Size = i, Content = [Id(i % 7)] })
            .ToList();

        var decoded = TreeCodec.Decode(TreeCodec.Encode(nodes), "tree x");

        Assert.Equal(nodes.Count, decoded.Count);
        for (var i = 0; i < nodes.Count; i++)
            AssertSameNode(nodes[i], decoded[i]);
    }

    [Fact]
    public void Sparse_extents_round_trip_and_mark_the_tree_as_needing_the_sparse_feature()
    {
        var sparse = new Node
        {
            Name = "sparse"u8.ToArray(), Kind = FileKind.File, Size = 1L << 40,
            Content = [Id(9)],
            Extents = [new FileExtent(0, 4096), new FileExtent(1L << 30, 8192), new FileExtent((1L << 40) - 4096, 4096)],
        };
        var hole = new Node { Name = "t-hole"u8.ToArray(), Kind = FileKind.File, Size = 1L << 40, Extents = [] };
        var bytes = TreeCodec.Encode([sparse, hole]);
        Assert.Equal(TreeCodec.SparseFeature, bytes[1]);
        var decoded = TreeCodec.Decode(bytes, "test");
        AssertSameNode(sparse, decoded[0]);
        AssertSameNode(hole, decoded[1]);
        Assert.Equal(0, TreeCodec.Encode([new Node { Name = "dense"u8.ToArray(), Kind = FileKind.File }])[1]);
    }

    [Fact]
    public void Entries_of_one_owner_share_its_names_and_other_owners_keep_theirs()
    {
        Node Owned(string name, string user, string group) =>
            new() { Name = Encoding.UTF8.GetBytes(name), Kind = FileKind.File, User = user, Group = group };
        var bytes = TreeCodec.Encode([Owned("a", "alice", "staff"), Owned("b", "alice", "staff"), Owned("c", "bob", "staff"), Owned("d", "alice", "wheel")]);

        var nodes = TreeCodec.Decode(bytes, "test tree");

        Assert.Equal(["alice", "alice", "bob", "alice"], nodes.Select(n => n.User));
        Assert.Equal(["staff", "staff", "staff", "wheel"], nodes.Select(n => n.Group));
        Assert.Same(nodes[0].User, nodes[1].User);
        Assert.Same(nodes[0].Group, nodes[2].Group);
    }
}
