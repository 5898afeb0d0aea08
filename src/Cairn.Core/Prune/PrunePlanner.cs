using Cairn.Core.Format;

namespace Cairn.Core.Prune;

/// <summary>
/// Sorts packs into delete, repack and keep. A blob stored twice is kept by one pack only (the one with the most
/// used data), so a pack whose every used blob lives elsewhere too is deleted. Packs are repacked, those with the
/// largest unused share first, until the unused data left is within the limit or the repack budget is spent.
/// </summary>
public static class PrunePlanner
{
    /// <summary>
    /// Plans a prune. <paramref name="storedSizes"/> holds the size of every pack on the store;
    /// <paramref name="awaitingDeletion"/> the blobs of packs that deletion notes still hold back (in no index, but
    /// stored: a snapshot that uses one of them is not damaged, and they are not this plan's to delete).
    /// </summary>
    /// <exception cref="CairnException">Snapshots refer to blobs no pack holds, or a pack holding used blobs is missing.</exception>
    public static PrunePlan Plan(PackTable table, UsedBlobs used, IReadOnlyDictionary<PackId, long> storedSizes, PruneLimit maxUnused, long maxRepackBytes,
        IEnumerable<PackEntry>? awaitingDeletion = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(used);
        ArgumentNullException.ThrowIfNull(storedSizes);
        var order = table.Packs
            .Select(p => (Pack: p, Used: table.EntriesOf(p).Where(e => used.Contains(e.Id)).Sum(e => (long)e.StoredLength)))
            .OrderByDescending(p => p.Used).ThenBy(p => p.Pack.ToString(), StringComparer.Ordinal)
            .Select(p => p.Pack).ToList();
        var packs = new List<(PackId Pack, long Used, long Unused, long Size)>(order.Count);
        var claimedByMixedPacks = new Dictionary<PackId, IReadOnlyList<PackEntry>>();
        foreach (var pack in order)
        {
            long usedBytes = 0, unusedBytes = 0;
            var claimed = new List<PackEntry>();
            foreach (var entry in table.EntriesOf(pack))
            {
                if (used.TryClaim(entry.Id))
                {
                    usedBytes += entry.StoredLength;
                    claimed.Add(entry);
                }
                else
                    unusedBytes += entry.StoredLength;
            }
            packs.Add((pack, usedBytes, unusedBytes, storedSizes.GetValueOrDefault(pack)));
            if (usedBytes > 0 && unusedBytes > 0)
                claimedByMixedPacks[pack] = claimed;
        }
        foreach (var entry in awaitingDeletion ?? [])
            used.TryClaim(entry.Id);
        if (used.Unclaimed > 0)
            throw new CairnException(ErrorKind.RepositoryCorrupt,
                $"snapshots refer to {used.Unclaimed} blob{(used.Unclaimed == 1 ? "" : "s")} that no index names: prune stops before it removes anything",
                "run 'cairn check' to see what is damaged");
        var missing = packs.Where(p => p.Used > 0 && !storedSizes.ContainsKey(p.Pack)).Select(p => p.Pack).ToList();
        if (missing.Count > 0)
            throw new CairnException(ErrorKind.RepositoryCorrupt,
                $"{missing.Count} pack{(missing.Count == 1 ? "" : "s")} holding data in use {(missing.Count == 1 ? "is" : "are")} missing (e.g. data/{missing[0]}): prune stops before it removes anything",
                "run 'cairn check' to see what is damaged");

        var delete = packs.Where(p => p.Used == 0).ToList();
        var kept = packs.Where(p => p.Used > 0).ToList();
        var usedTotal = kept.Sum(p => p.Used);
        var unusedLeft = kept.Sum(p => p.Unused);
        var allowed = maxUnused.AllowedNextTo(usedTotal);
        var repack = new List<(PackId Pack, long Used, long Unused, long Size)>();
        long repackBytes = 0;
        foreach (var candidate in kept.Where(p => p.Unused > 0).OrderByDescending(p => (double)p.Unused / (p.Used + p.Unused)).ThenByDescending(p => p.Unused))
        {
            if (unusedLeft <= allowed)
                break;
            if (repackBytes + candidate.Size > maxRepackBytes)
                continue;
            repack.Add(candidate);
            repackBytes += candidate.Size;
            unusedLeft -= candidate.Unused;
        }
        return new PrunePlan
        {
            Delete = [.. delete.Select(p => p.Pack)],
            Repack = [.. repack.Select(p => p.Pack)],
            RepackBlobs = repack.ToDictionary(p => p.Pack, p => claimedByMixedPacks[p.Pack]),
            Keep = kept.Count - repack.Count,
            DeleteBytes = delete.Sum(p => p.Size),
            RepackBytes = repackBytes,
            RepackUsedBytes = repack.Sum(p => p.Used),
            UsedBytes = usedTotal,
            UnusedBytesBefore = packs.Sum(p => p.Unused),
            UnusedBytesAfter = unusedLeft,
            TotalBytesBefore = packs.Sum(p => p.Size),
        };
    }
}
