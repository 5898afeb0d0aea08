using Cairn.Core.Export;
using Cairn.Core.Platform;

namespace Cairn.Core.Tests.Export;

/// <summary>How a file larger than a volume is cut into parts: by data bytes, holes travelling with the part they fall in.</summary>
public sealed class VolumePartTests
{
    [Fact]
    public void A_dense_file_is_cut_by_bytes_and_the_last_part_reaches_its_end()
    {
        FileExtent[] all = [new(0, 1000)];
        Assert.Equal("400: 0+400", Text(SnapshotExporter.TakePart(all, 0, 1000, 400)));
        Assert.Equal("1000: 0+600", Text(SnapshotExporter.TakePart(all, 400, 1000, 600)));
        Assert.Equal("1000: 0+600", Text(SnapshotExporter.TakePart(all, 400, 1000, 5000)));
    }

    [Fact]
    public void A_sparse_file_s_parts_keep_their_holes_relative_to_the_part_s_start()
    {
        FileExtent[] all = [new(100, 50), new(1000, 200), new(5000, 10)]; // a 6000-byte file ending in a hole
        var (end, extents) = SnapshotExporter.TakePart(all, 0, 6000, 120);
        Assert.Equal(1070, end); // 50 bytes of the first extent, 70 of the second
        Assert.Equal([new FileExtent(100, 50), new FileExtent(1000, 70)], extents);
        (end, extents) = SnapshotExporter.TakePart(all, 1070, 6000, 1000);
        Assert.Equal(6000, end); // the rest fits: the part runs to the file's end, trailing hole included
        Assert.Equal([new FileExtent(0, 130), new FileExtent(3930, 10)], extents);
    }

    [Fact]
    public async Task Holes_are_written_as_zeros_where_a_format_has_no_holes()
    {
        using var output = new MemoryStream();
        var filled = new HoleFillingStream(output, [new FileExtent(2, 3), new FileExtent(8, 1)], 12);
        await filled.WriteAsync(new byte[] { 1, 2, 3, 4 });
        await filled.FinishAsync(CancellationToken.None);
        Assert.Equal(new byte[] { 0, 0, 1, 2, 3, 0, 0, 0, 4, 0, 0, 0 }, output.ToArray());
    }

    private static string Text((long End, List<FileExtent> Extents) part) => $"{part.End}: " + string.Join(" ", part.Extents.Select(e => $"{e.Offset}+{e.Length}"));
}
