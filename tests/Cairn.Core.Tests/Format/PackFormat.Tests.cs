using System.Buffers.Binary;
using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Format;

public sealed class PackFormatTests
{
    private static BlobId Id(int n) => new(new Digest(TestData.RandomBytes(32, 500 + n)));

    private static readonly PackEntry[] Entries =
    [
        new(Id(1), BlobType.Data, CompressionKind.Zstd, 0, 100, 4000),
        new(Id(2), BlobType.Tree, CompressionKind.None, 0, 250, 222),
        new(Id(3), BlobType.Data, CompressionKind.None, 0, 37, 9),
    ];

    /// <summary>A pack: the sealed blobs (here random bytes of the right lengths) followed by the tail.</summary>
    private static byte[] BuildPack(KeyRing keys, IReadOnlyList<PackEntry> entries)
    {
        var blobs = TestData.RandomBytes((int)entries.Sum(e => e.StoredLength), 7);
        return [.. blobs, .. PackFormat.EncodeTail(keys, entries)];
    }

    [Fact]
    public void EncodeTail_ThenParseTrailerAndDecodeHeader_ReturnsTheEntriesWithOffsets()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);

        var (offset, length) = PackFormat.ParseTrailer(pack.AsSpan(pack.Length - PackFormat.TrailerLength), pack.Length, "data/p");
        var decoded = PackFormat.DecodeHeader(keys, pack.AsSpan((int)offset, length), offset, "data/p");

        Assert.Equal(387, offset);
        Assert.Equal(pack.Length - PackFormat.TrailerLength - 387, length);
        Assert.Equal(
            [Entries[0] with { Offset = 0 }, Entries[1] with { Offset = 100 }, Entries[2] with { Offset = 350 }],
            decoded);
    }

    [Fact]
    public void EncodeTail_WritesTheDocumentedTrailer()
    {
        using var keys = TestData.Keys();

        var tail = PackFormat.EncodeTail(keys, Entries);

        var trailer = tail.AsSpan(tail.Length - PackFormat.TrailerLength);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(trailer));
        Assert.Equal((uint)(tail.Length - PackFormat.TrailerLength), BinaryPrimitives.ReadUInt32LittleEndian(trailer[2..]));
        Assert.Equal("CPK1"u8.ToArray(), trailer[6..].ToArray());
        Assert.Equal("CRN1"u8.ToArray(), tail.AsSpan(0, 4).ToArray());
        Assert.Equal((byte)EnvelopeType.PackHeader, tail[4]);
    }

    [Fact]
    public void EncodeTail_NoEntries_RoundTrips()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, []);

        var (offset, length) = PackFormat.ParseTrailer(pack.AsSpan(pack.Length - PackFormat.TrailerLength), pack.Length, "data/p");

        Assert.Equal(0, offset);
        Assert.Empty(PackFormat.DecodeHeader(keys, pack.AsSpan(0, length), offset, "data/p"));
    }

    [Fact]
    public void ParseTrailer_PackMissingItsLastByte_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries)[..^1];

        Assert.Throws<RepositoryCorruptException>(() =>
            PackFormat.ParseTrailer(pack.AsSpan(pack.Length - PackFormat.TrailerLength), pack.Length, "data/p"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    public void ParseTrailer_ShortTrailer_ThrowsRepositoryCorrupt(int length)
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);

        var e = Assert.Throws<RepositoryCorruptException>(() =>
            PackFormat.ParseTrailer(pack.AsSpan(pack.Length - length), length, "data/p"));
        Assert.Equal("data/p", e.ObjectName);
    }

    [Fact]
    public void ParseTrailer_HeaderLengthBeyondThePack_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);
        var trailer = pack.AsSpan(pack.Length - PackFormat.TrailerLength).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(2), (uint)pack.Length);

        Assert.Throws<RepositoryCorruptException>(() => PackFormat.ParseTrailer(trailer, pack.Length, "data/p"));
    }

    [Fact]
    public void ParseTrailer_HeaderLengthTooSmallForAnEnvelope_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);
        var trailer = pack.AsSpan(pack.Length - PackFormat.TrailerLength).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(2), 3);

        Assert.Throws<RepositoryCorruptException>(() => PackFormat.ParseTrailer(trailer, pack.Length, "data/p"));
    }

    [Fact]
    public void ParseTrailer_KeySlotInUse_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);
        var trailer = pack.AsSpan(pack.Length - PackFormat.TrailerLength).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(trailer, 32);

        Assert.Throws<RepositoryCorruptException>(() => PackFormat.ParseTrailer(trailer, pack.Length, "data/p"));
    }

    [Fact]
    public void DecodeHeader_OffsetThatDoesNotMatchTheBlobs_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var pack = BuildPack(keys, Entries);
        var (offset, length) = PackFormat.ParseTrailer(pack.AsSpan(pack.Length - PackFormat.TrailerLength), pack.Length, "data/p");

        Assert.Throws<RepositoryCorruptException>(() =>
            PackFormat.DecodeHeader(keys, pack.AsSpan((int)offset, length), offset + 1, "data/p"));
    }

    [Fact]
    public void DecodeHeader_FlippedBit_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var tail = PackFormat.EncodeTail(keys, Entries);
        var header = tail[..^PackFormat.TrailerLength];

        for (var bit = 0; bit < header.Length * 8; bit++)
            Assert.Throws<RepositoryCorruptException>(() => PackFormat.DecodeHeader(keys, TestData.FlipBit(header, bit), 387, "data/p"));
    }

    [Fact]
    public void DecodeHeader_EntryCountThatDoesNotMatchTheLength_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var payload = new byte[5 + PackFormat.EntryLength];
        payload[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), 2);
        var header = Envelope.Seal(keys, EnvelopeType.PackHeader, KeyDomain.Metadata, payload, compress: false);

        Assert.Throws<RepositoryCorruptException>(() => PackFormat.DecodeHeader(keys, header, 0, "data/p"));
    }

    [Fact]
    public void DecodeHeader_UnknownVersion_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var header = Envelope.Seal(keys, EnvelopeType.PackHeader, KeyDomain.Metadata, [2, 0, 0, 0, 0], compress: false);

        Assert.Throws<RepositoryCorruptException>(() => PackFormat.DecodeHeader(keys, header, 0, "data/p"));
    }
}
