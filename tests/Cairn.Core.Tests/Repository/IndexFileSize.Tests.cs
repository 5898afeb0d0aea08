using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Core.Tests.Repository;

public sealed class IndexFileSizeTests
{
    [Fact]
    public void Packs_of_few_blobs_go_sixty_four_to_a_file()
    {
        var packs = Enumerable.Range(0, 200).Select(i => Pack(i, blobs: 10)).ToList();

        var files = IndexFileSize.Batches(packs).ToList();

        Assert.Equal([64, 64, 64, 8], files.Select(f => f.Count));
        Assert.Equal(packs.Select(p => p.Pack), files.SelectMany(f => f.Select(p => p.Pack))); // every pack once, in order
    }

    [Fact]
    public void A_file_ends_with_the_pack_that_brings_it_to_the_full_count_of_blobs()
    {
        var packs = new[] { Pack(0, 30_000), Pack(1, 30_000), Pack(2, 30_000), Pack(3, 5_536), Pack(4, 60_000), Pack(5, 1) };

        var files = IndexFileSize.Batches(packs).Select(f => f.Select(p => p.Entries.Count).ToArray()).ToList();

        Assert.Equal(3, files.Count);
        Assert.Equal([30_000, 30_000, 30_000], files[0]);
        Assert.Equal([5_536, 60_000], files[1]); // exactly FullBlobs
        Assert.Equal([1], files[2]);
    }

    [Fact]
    public void A_pack_of_more_blobs_than_a_full_file_has_a_file_of_its_own()
    {
        var packs = new[] { Pack(0, 10), Pack(1, 150_000), Pack(2, 150_000), Pack(3, 10) };

        var files = IndexFileSize.Batches(packs).Select(f => f.Select(p => p.Entries.Count).ToArray()).ToList();

        Assert.Equal([[10, 150_000], [150_000], [10]], files);
    }

    [Fact]
    public void No_packs_make_no_file() => Assert.Empty(IndexFileSize.Batches([]));

    private static (PackId Pack, IReadOnlyList<PackEntry> Entries) Pack(int number, int blobs)
    {
        var id = new byte[32];
        BitConverter.TryWriteBytes(id, number);
        return (new PackId(new Digest(id)), new PackEntry[blobs]);
    }
}
