using Cairn.Core.Crypto;
using Cairn.Core.Format;

namespace Cairn.Core.Tests.Format;

public sealed class EnvelopeTests
{
    [Theory]
    [InlineData(CipherSuite.Aes256Gcm, true)]
    [InlineData(CipherSuite.Aes256Gcm, false)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, true)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, false)]
    public void Seal_ThenOpen_ReturnsThePayload(CipherSuite suite, bool compress)
    {
        using var keys = TestData.Keys(1, suite);
        var payload = TestData.Text(10_000);

        var stored = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, payload, compress);

        Assert.Equal("CRN1"u8.ToArray(), stored.AsSpan(0, 4).ToArray());
        Assert.Equal((byte)EnvelopeType.Config, stored[4]);
        Assert.Equal((byte)KeyDomain.Metadata, stored[5]);
        Assert.Equal((byte)suite, stored[6]);
        Assert.Equal((byte)(compress ? CompressionKind.Zstd : CompressionKind.None), stored[7]);
        if (compress)
            Assert.True(stored.Length < payload.Length / 2, $"{stored.Length} bytes for {payload.Length} of text");
        else
            Assert.Equal(Envelope.HeaderLength + payload.Length + SealedBox.Overhead, stored.Length);
        Assert.Equal(payload, Envelope.Open(keys, EnvelopeType.Config, stored, "config"));
    }

    [Fact]
    public void Seal_IncompressiblePayload_IsStoredUncompressed()
    {
        using var keys = TestData.Keys();
        var payload = TestData.RandomBytes(5000, 1);

        var stored = Envelope.Seal(keys, EnvelopeType.Index, KeyDomain.Metadata, payload);

        Assert.Equal((byte)CompressionKind.None, stored[7]);
        Assert.Equal(payload, Envelope.Open(keys, EnvelopeType.Index, stored, "index/x"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    public void Seal_ShortPayload_IsNotCompressedAndRoundTrips(int length)
    {
        using var keys = TestData.Keys();
        var payload = new byte[length];

        var stored = Envelope.Seal(keys, EnvelopeType.Lock, KeyDomain.Metadata, payload);

        Assert.Equal((byte)CompressionKind.None, stored[7]);
        Assert.Equal(payload, Envelope.Open(keys, EnvelopeType.Lock, stored, "locks/x"));
    }

    [Fact]
    public void Open_SnapshotSummaryDomain_RoundTrips()
    {
        using var keys = TestData.Keys();
        var payload = TestData.Text(300);

        var stored = Envelope.Seal(keys, EnvelopeType.SnapshotSummary, KeyDomain.SnapshotSummary, payload);

        Assert.Equal(payload, Envelope.Open(keys, EnvelopeType.SnapshotSummary, stored, "snapshots/x"));
    }

    [Fact]
    public void Open_WrongType_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var stored = Envelope.Seal(keys, EnvelopeType.Index, KeyDomain.Metadata, TestData.Text(500));

        var e = Assert.Throws<RepositoryCorruptException>(() => Envelope.Open(keys, EnvelopeType.Config, stored, "index/abc"));

        Assert.Equal("index/abc", e.ObjectName);
    }

    [Theory]
    [InlineData(CipherSuite.Aes256Gcm, true)]
    [InlineData(CipherSuite.Aes256Gcm, false)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, true)]
    [InlineData(CipherSuite.AuthenticatedPlaintext, false)]
    public void Open_AnySingleBitFlipped_ThrowsRepositoryCorrupt(CipherSuite suite, bool compress)
    {
        using var keys = TestData.Keys(2, suite);
        var stored = Envelope.Seal(keys, EnvelopeType.Index, KeyDomain.Metadata, TestData.Text(400), compress);

        for (var bit = 0; bit < stored.Length * 8; bit++)
        {
            var damaged = TestData.FlipBit(stored, bit);
            var e = Record.Exception(() => Envelope.Open(keys, EnvelopeType.Index, damaged, "index/x"));
            Assert.True(e is RepositoryCorruptException, $"bit {bit}: {e?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Open_OtherRepositorysKeys_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys(3);
        using var other = TestData.Keys(4);
        var stored = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, TestData.Text(400));

        Assert.Throws<RepositoryCorruptException>(() => Envelope.Open(other, EnvelopeType.Config, stored, "config"));
    }

    [Fact]
    public void Open_OtherCipherSuite_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys(5, CipherSuite.AuthenticatedPlaintext);
        using var aes = TestData.Keys(5, CipherSuite.Aes256Gcm);
        var stored = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, TestData.Text(400));

        Assert.Throws<RepositoryCorruptException>(() => Envelope.Open(aes, EnvelopeType.Config, stored, "config"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(Envelope.HeaderLength + SealedBox.Overhead - 1)]
    public void Open_TooShort_ThrowsRepositoryCorrupt(int length)
    {
        using var keys = TestData.Keys();
        var stored = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, TestData.Text(400));

        Assert.Throws<RepositoryCorruptException>(() => Envelope.Open(keys, EnvelopeType.Config, stored.AsSpan(0, length), "config"));
    }

    [Fact]
    public void Open_TruncatedByOneByte_ThrowsRepositoryCorrupt()
    {
        using var keys = TestData.Keys();
        var stored = Envelope.Seal(keys, EnvelopeType.Config, KeyDomain.Metadata, TestData.Text(400));

        Assert.Throws<RepositoryCorruptException>(() => Envelope.Open(keys, EnvelopeType.Config, stored.AsSpan(0, stored.Length - 1), "config"));
    }
}
