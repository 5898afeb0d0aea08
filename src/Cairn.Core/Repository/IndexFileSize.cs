using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>
/// How many packs one index file names: at most <see cref="MaximumPacks"/>, and fewer once they hold
/// <see cref="FullBlobs"/> blobs (a pack with more has a file of its own). Packs of tiny blobs (4 of
/// <see cref="BlobWriter.MaxPackBlobs"/> make a full file) had made index files of millions of entries, which a backup
/// held in memory until it wrote them and a reader had to decode on one thread; packs written before that limit held
/// up to ~150,000 one-line files' blobs, and prune and <c>repair index</c> still meet them.
/// </summary>
public static class IndexFileSize
{
    /// <summary>Packs in one index file, at most.</summary>
    public const int MaximumPacks = 64;

    /// <summary>Blobs that complete an index file: the pack that reaches them is its last.</summary>
    public const int FullBlobs = 65_536;

    /// <summary>Whether an index file of <paramref name="packs"/> packs holding <paramref name="blobs"/> blobs takes no more.</summary>
    public static bool IsFull(int packs, long blobs) => packs >= MaximumPacks || blobs >= FullBlobs;

    /// <summary><paramref name="packs"/> in order, gathered into the index files they make (<see cref="IsFull"/>).</summary>
    public static IEnumerable<List<(PackId Pack, IReadOnlyList<PackEntry> Entries)>> Batches(IEnumerable<(PackId Pack, IReadOnlyList<PackEntry> Entries)> packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var batch = new List<(PackId Pack, IReadOnlyList<PackEntry> Entries)>();
        long blobs = 0;
        foreach (var pack in packs)
        {
            batch.Add(pack);
            blobs += pack.Entries.Count;
            if (IsFull(batch.Count, blobs))
            {
                yield return batch;
                batch = [];
                blobs = 0;
            }
        }
        if (batch.Count > 0)
            yield return batch;
    }
}
