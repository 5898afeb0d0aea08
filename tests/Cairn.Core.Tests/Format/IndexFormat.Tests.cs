using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Format;

public sealed class IndexFormatTests
{
    private static Digest D(int n) => new(TestData.RandomBytes(32, 900 + n));

    private static readonly (PackId Pack, IReadOnlyList<PackEntry> Entries)[] Packs =
    [
        (new PackId(D(1)), [
            new PackEntry(new BlobId(D(10)), BlobType.Data, CompressionKind.Zstd, 0, 1000, 5000),
            new PackEntry(new BlobId(D(11)), BlobType.Tree, CompressionKind.None, 1000, 300, 272),
            new PackEntry(new BlobId(D(12)), BlobType.Data, CompressionKind.None, 1300, uint.MaxValue, uint.MaxValue - 28),
        ]),
        (new PackId(D(2)), []),
        (new PackId(D(3)), [new PackEntry(new BlobId(D(13)), BlobType.Data, CompressionKind.None, 0, 29, 1)]),
    ];

    private static List<(PackId Pack, List<PackEntry> Entries)> Decode(KeyRing keys, byte[] stored)
    {
        var result = new List<(PackId, List<PackEntry>)>();
        IndexFormat.Decode(keys, stored, "index/x", (pack, entries) => result.Add((pack, entries)));
        return result;
    }

    /// <summary>The payload <see cref="IndexFormat.Encode"/> sealed, recovered by opening its envelope.</summary>
    private static byte[] Payload(KeyRing keys) =>
        Envelope.Open(keys, EnvelopeType.Index, IndexFormat.Encode(keys, Packs), "index/x");

    private static byte[] Seal(KeyRing keys, ReadOnlySpan<byte> payload) =>
        Envelope.Seal(keys, EnvelopeType.Index, KeyDomain.Metadata, payload, compress: false);

    [Fact]
    public void Encode_ThenDecode_ReturnsEveryPackAndEntryInOrder()
    {
        using var keys = TestData.Keys();

        var decoded = Decode(keys, IndexFormat.Encode(keys, Packs));

        Assert.Equal(Packs.Length, decoded.Count);
        for (var i = 0; i < Packs.Length; i++)
        {
            Assert.Equal(Packs[i].Pack, decoded[i].Pack);
            Assert.Equal(Packs[i].Entries, decoded[i].Entries);
        }
    }

    [Fact]
    public void Encode_NoPacks_RoundTrips()
    {
        using var keys = TestData.Keys();

        Assert.Empty(Decode(keys, IndexFormat.Encode(keys, [])));
    }

    [Fact]
    public void Encode_PayloadHasTheDocumentedSize()
    {
        using var keys = TestData.Keys();

        var payload = Payload(keys);

        Assert.Equal(1, payload[0]);
        Assert.Equal(5 + 3 * (32 + 4) + 4 * 46, payload.Length);
    }

    [Fact]
    public void Decode_EveryTruncatedPayload_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var payload = Payload(keys);

        for (var length = 1; length < payload.Length; length++)
        {
            var stored = Seal(keys, payload.AsSpan(0, length));
            var e = Record.Exception(() => Decode(keys, stored));
            Assert.True(e is RepositoryCorruptException, $"payload cut to {length} bytes: {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Decode_EmptyPayload_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();

        var e = Record.Exception(() => Decode(keys, Seal(keys, ReadOnlySpan<byte>.Empty)));

        Assert.True(e is RepositoryCorruptException, $"got {e?.GetType().FullName ?? "no exception"}");
    }

    [Fact]
    public void Decode_TrailingBytes_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();

        Assert.Throws<RepositoryCorruptException>(() => Decode(keys, Seal(keys, [.. Payload(keys), 0])));
    }

    [Fact]
    public void Decode_UnknownVersion_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var payload = Payload(keys);
        payload[0] = 2;

        Assert.Throws<RepositoryCorruptException>(() => Decode(keys, Seal(keys, payload)));
    }

    [Fact]
    public void Decode_FlippedBit_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var stored = IndexFormat.Encode(keys, Packs);

        Assert.Throws<RepositoryCorruptException>(() => Decode(keys, TestData.FlipBit(stored, stored.Length * 4)));
    }

    [Fact]
    public void Decode_PackHeaderEnvelope_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var notAnIndex = Envelope.Seal(keys, EnvelopeType.PackHeader, KeyDomain.Metadata, Payload(keys), compress: false);

        Assert.Throws<RepositoryCorruptException>(() => Decode(keys, notAnIndex));
    }
}
