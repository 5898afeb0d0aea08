using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Trees;

public sealed class TreeCodecCorruptionTests
{
    /// <summary>Builds tree bytes by hand, as a newer or broken writer could produce them.</summary>
    private sealed class Bytes
    {
        private readonly List<byte> _bytes = [];

        public Bytes UInt(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.Add((byte)value);
            return this;
        }

        public Bytes Raw(params byte[] bytes)
        {
            _bytes.AddRange(bytes);
            return this;
        }

        public Bytes Field(ulong tag, byte[] value) => UInt(tag).UInt((ulong)value.Length).Raw(value);

        /// <summary>Version 1, no required features, <paramref name="count"/> nodes.</summary>
        public static Bytes Header(ulong count, ulong features = 0) => new Bytes().UInt(1).UInt(features).UInt(count);

        public byte[] ToArray() => [.. _bytes];
    }

    private static RepositoryCorruptException AssertCorrupt(byte[] bytes)
    {
        var e = Record.Exception(() => TreeCodec.Decode(bytes, "tree 1234"));
        Assert.True(e is RepositoryCorruptException, $"expected RepositoryCorruptException, got {e?.GetType().FullName ?? "no exception"}: {e?.Message}");
        var corrupt = (RepositoryCorruptException)e!;
        Assert.Equal("tree 1234", corrupt.ObjectName);
        return corrupt;
    }

    [Fact]
    public void Decode_UnknownOptionalTags_AreSkipped()
    {
        var bytes = Bytes.Header(1)
            .Field(1, "abc"u8.ToArray())
            .Field(19, [1, 2, 3, 4])              // reserved: extended attributes
            .Field(99, [0xff, 0xff, 0xff])
            .Field(300, new byte[200])            // a two-byte tag with a two-byte length
            .Field(2, [(byte)FileKind.File])
            .Field(8, [42])
            .UInt(0)
            .ToArray();

        var node = Assert.Single(TreeCodec.Decode(bytes, "tree 1234"));

        Assert.Equal("abc"u8.ToArray(), node.Name);
        Assert.Equal(FileKind.File, node.Kind);
        Assert.Equal(42, node.Size);
    }

    [Fact]
    public void Decode_FieldsInAnyOrder_AreRead()
    {
        var bytes = Bytes.Header(1)
            .Field(3, [0xa4, 0x03]) // mode 0x1a4
            .Field(2, [(byte)FileKind.Symlink])
            .Field(17, "target"u8.ToArray())
            .Field(1, "name"u8.ToArray())
            .UInt(0)
            .ToArray();

        var node = Assert.Single(TreeCodec.Decode(bytes, "tree 1234"));

        Assert.Equal("name"u8.ToArray(), node.Name);
        Assert.Equal(0x1a4u, node.Mode);
        Assert.Equal("target"u8.ToArray(), node.LinkTarget);
    }

    [Theory]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void Decode_UnknownRequiredFeature_ThrowsRepositoryCorrupt(ulong features)
    {
        var bytes = Bytes.Header(0, features).ToArray();

        var e = AssertCorrupt(bytes);

        Assert.Contains("upgrade", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(2UL)]
    public void Decode_UnknownVersion_ThrowsRepositoryCorrupt(ulong version)
    {
        AssertCorrupt(new Bytes().UInt(version).UInt(0).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsRepositoryCorrupt()
    {
        var bytes = TreeCodec.Encode(TreeCodecRoundTripTests.AllFieldNodes());

        for (var length = 0; length < bytes.Length; length++)
            AssertCorrupt(bytes[..length]);
    }

    [Fact]
    public void Decode_TrailingBytes_ThrowsRepositoryCorrupt()
    {
        var bytes = TreeCodec.Encode(TreeCodecRoundTripTests.AllFieldNodes());

        AssertCorrupt([.. bytes, 0]);
    }

    [Fact]
    public void Decode_NodeWithoutName_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(Bytes.Header(1).Field(2, [1]).UInt(0).ToArray());
        AssertCorrupt(Bytes.Header(1).Field(1, []).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_NanosecondsOutOfRange_ThrowsRepositoryCorrupt()
    {
        var time = new Bytes().UInt(2).UInt(1_000_000_000).ToArray();

        AssertCorrupt(Bytes.Header(1).Field(1, "a"u8.ToArray()).Field(9, time).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_ContentListNotAMultipleOf32_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(Bytes.Header(1).Field(1, "a"u8.ToArray()).Field(15, new byte[33]).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_FieldLengthPastTheEnd_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(Bytes.Header(1).UInt(1).UInt(10).Raw("abc"u8.ToArray()).ToArray());
    }

    [Fact]
    public void Decode_VarintLongerThan64Bits_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(new Bytes().Raw(0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).ToArray());
    }

    [Fact]
    public void Decode_EmptyIntegerField_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(Bytes.Header(1).Field(1, "a"u8.ToArray()).Field(3, []).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_SubtreeShorterThan32Bytes_ThrowsRepositoryCorrupt()
    {
        AssertCorrupt(Bytes.Header(1).Field(1, "d"u8.ToArray()).Field(2, [2]).Field(16, new byte[5]).UInt(0).ToArray());
    }

    [Fact]
    public void Decode_FieldLengthBeyond32Bits_ThrowsRepositoryCorrupt()
    {
        // A length of 2^32 + 3 must not be read as 3.
        AssertCorrupt(Bytes.Header(1).UInt(1).UInt((1UL << 32) + 3).Raw("abc"u8.ToArray()).UInt(0).ToArray());
    }
}
