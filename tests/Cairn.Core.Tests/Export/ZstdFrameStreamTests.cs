using Cairn.Core.Export;
using ZstdSharp;

namespace Cairn.Core.Tests.Export;

public sealed class ZstdFrameStreamTests
{
    [Fact]
    public async Task Concatenated_frames_decompress_to_the_input_in_order()
    {
        var data = new byte[11 << 20]; // a little under three 4 MiB blocks
        var random = new Random(5);
        for (var i = 0; i < data.Length; i += 4096)
            random.NextBytes(data.AsSpan(i, Math.Min(1024, data.Length - i))); // partly compressible
        using var compressed = new MemoryStream();
        await using (var zstd = new ZstdFrameStream(compressed, 3, 3))
        {
            for (var at = 0; at < data.Length; at += 777_777)
                await zstd.WriteAsync(data.AsMemory(at, Math.Min(777_777, data.Length - at)));
            await zstd.FlushAsync();
        }
        Assert.True(compressed.Length < data.Length / 2);
        compressed.Position = 0;
        await using var decompress = new DecompressionStream(compressed);
        using var back = new MemoryStream();
        await decompress.CopyToAsync(back);
        Assert.True(data.AsSpan().SequenceEqual(back.ToArray()));
    }
}
