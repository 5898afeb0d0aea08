using System.Text;
using Cairn.Core.Compression;

namespace Cairn.Core.Tests.Compression;

/// <summary>The system libzstd and the managed port read each other's frames, so repositories do not depend on which one wrote them.</summary>
public sealed class NativeZstdInteropTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i} of text {i % 13}\n")));

    [Fact]
    public void LibzstdIsUsedOnThisKindOfMachine()
    {
        Assert.True(NativeZstd.IsAvailable, "libzstd.so.1 did not load; Debian systems always have it");
        Assert.Equal("libzstd", Zstd.Implementation);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(19)]
    public void FramesFromLibzstdDecompressWithTheManagedPort(int level)
    {
        var buffer = new byte[Zstd.Bound(Text.Length)];
        var n = NativeZstd.Compress(Text, buffer, level);
        Assert.InRange(n, 1, Text.Length / 2);
        using var managed = new ZstdSharp.Decompressor();
        Assert.Equal(Text, managed.Unwrap(buffer.AsSpan(0, n)).ToArray());
        Assert.Equal(Text.Length, NativeZstd.ContentSize(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void FramesFromTheManagedPortDecompressWithLibzstd()
    {
        using var managed = new ZstdSharp.Compressor(3);
        var frame = managed.Wrap(Text).ToArray();
        var plain = new byte[Text.Length];
        Assert.Equal(Text.Length, NativeZstd.Decompress(frame, plain));
        Assert.Equal(Text, plain);
        Assert.Equal(Text, Zstd.Decompress(frame));
    }

    [Fact]
    public void DamagedFramesAreRejectedNotMisread()
    {
        var frame = Zstd.Compress(Text, 3);
        frame[frame.Length / 2] ^= 0x55;
        var plain = new byte[Text.Length];
        Assert.ThrowsAny<Exception>(() => Zstd.Decompress(frame, plain));
    }
}
