using Cairn.Commands.Export;

namespace Cairn.Cli.Tests;

/// <summary>Reading a volume back: a match, a flipped bit, a volume cut short, one that runs on.</summary>
public sealed class VolumeSinkTests
{
    [Fact]
    public async Task Verify_names_the_first_mebibyte_that_differs()
    {
        var medium = new MemoryStream();
        var data = new byte[(3 << 20) + 500_000];
        new Random(9).NextBytes(data);
        var header = new byte[32 * 1024];
        await using var sink = await VolumeSink.OpenAsync("memory", medium, fixedBlocks: false, header, new ExportCommandOptions { Snapshot = "latest", Output = "memory", Verify = true }, CancellationToken.None);
        await sink.Archive.WriteAsync(data);
        await sink.CloseAsync(CancellationToken.None);
        var written = medium.ToArray();
        Assert.Equal(header.Length + data.Length, written.Length);
        Assert.Equal(written.Length, sink.Length);

        Assert.Null(await sink.VerifyAsync(new MemoryStream(written), CancellationToken.None));
        var flipped = (byte[])written.Clone();
        flipped[2_500_000] ^= 1;
        Assert.Equal(2L << 20, await sink.VerifyAsync(new MemoryStream(flipped), CancellationToken.None));
        Assert.Equal(3L << 20, await sink.VerifyAsync(new MemoryStream(written[..((3 << 20) + 10)]), CancellationToken.None));
        Assert.Equal(written.Length, await sink.VerifyAsync(new MemoryStream([.. written, 0]), CancellationToken.None));
    }
}
