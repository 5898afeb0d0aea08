using Cairn.Core.Compression;

namespace Cairn.Core.Tests.Compression;

public sealed class ZstdTryCompressTests
{
    private static byte[] Destination(int sourceLength) => new byte[Zstd.Bound(sourceLength)];

    [Theory]
    [InlineData(1000)]
    [InlineData(100_000)]   // below the probe threshold: compressed whole
    [InlineData(1_000_000)] // above it: the probe decides
    public void Auto_RandomData_IsStoredUncompressed(int length)
    {
        var source = TestData.RandomBytes(length, 1);

        Assert.Equal(-1, Zstd.TryCompress(CompressionSetting.AutoDefault, source, Destination(length)));
    }

    [Theory]
    [InlineData("auto", 1000)]
    [InlineData("auto", 1_000_000)]
    [InlineData("fastest", 100_000)]
    [InlineData("default", 100_000)]
    [InlineData("max", 100_000)]
    [InlineData("12", 100_000)]
    public void Text_CompressesAndDecompressesBack(string setting, int length)
    {
        var source = TestData.Text(length);
        var destination = Destination(length);

        var n = Zstd.TryCompress(CompressionSetting.Parse(setting), source, destination);

        Assert.InRange(n, 1, length / 3);
        var back = new byte[length];
        Zstd.Decompress(destination.AsSpan(0, n), back);
        Assert.Equal(source, back);
        Assert.Equal(source, Zstd.Decompress(destination.AsSpan(0, n)));
    }

    [Fact]
    public void Auto_MostlyRandomDataWithCompressibleMiddle_IsDecidedByTheFullCompression()
    {
        // Random everywhere except the probed middle: the probe says "try", the full result does not shrink enough.
        var source = TestData.RandomBytes(4_000_000, 2);
        TestData.Text(64 * 1024).CopyTo(source.AsSpan(2_000_000 - 32 * 1024));

        Assert.Equal(-1, Zstd.TryCompress(CompressionSetting.AutoDefault, source, Destination(source.Length)));
    }

    [Theory]
    [InlineData("fastest")]
    [InlineData("auto")]
    public void Text_LargerThan22MiB_StillCompresses(string setting)
    {
        // Chunks may be up to 64 MiB (ChunkerParameters.Validate) and tree blobs of huge directories have no limit.
        var source = TestData.Text(24 * 1024 * 1024);
        var destination = Destination(source.Length);

        var n = Zstd.TryCompress(CompressionSetting.Parse(setting), source, destination);

        Assert.InRange(n, 1, source.Length / 3);
    }

    [Fact]
    public void Off_NeverCompresses()
    {
        var source = TestData.Text(100_000);

        Assert.Equal(-1, Zstd.TryCompress(CompressionSetting.Off, source, Destination(source.Length)));
    }

    [Fact]
    public void Tiny_IsNeverCompressed()
    {
        var source = new byte[63];

        Assert.Equal(-1, Zstd.TryCompress(new CompressionSetting(3, false), source, Destination(source.Length)));
    }

    [Fact]
    public void Decompress_WrongExpectedLength_Throws()
    {
        var source = TestData.Text(10_000);
        var compressed = Zstd.Compress(source, 3);

        Assert.Throws<InvalidDataException>(() => Zstd.Decompress(compressed, new byte[10_001]));
    }
}
