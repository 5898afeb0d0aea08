using Cairn.Core.Format;
using Cairn.Core.Snapshots;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Prune;

/// <summary>
/// The backup's side of prune's deferred deletion. A backup that loaded the index before a prune took packs out of
/// it may have deduplicated against them; once its snapshot is stored, it indexes again every noted pack that holds
/// a blob the snapshot uses and that its index found nowhere else, so that the snapshot restores at once (and the
/// prune that finishes the note keeps those packs).
/// </summary>
public static class NotedPacks
{
    /// <summary>
    /// True when the pack holds a blob in use whose first location in the master index is the pack itself: with noted
    /// packs added after the indexed ones, a blob no indexed pack holds. With <paramref name="isStored"/>, also when
    /// that first location is a pack missing from storage: then this pack may hold the only copy left.
    /// </summary>
    public static bool HoldsTheOnlyCopyOfAnyOf(Repo repository, PackId pack, IEnumerable<PackEntry> entries, UsedBlobs used, Func<PackId, bool>? isStored = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(used);
        return entries.Any(e => used.Contains(e.Id) && repository.Index.TryGet(e.Id, out var at)
            && repository.Index.PackOf(at) is var first && (first == pack || (isStored is not null && !isStored(first))));
    }

    /// <summary>Indexes again the noted packs <paramref name="snapshot"/> uses; returns how many.</summary>
    public static async Task<int> KeepThoseUsedByAsync(Repo repository, Snapshot snapshot, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshot);
        HashSet<PackId> noted;
        try
        {
            noted = await repository.PacksAwaitingDeletionAsync(ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException)
        {
            return 0; // a prune stops at a damaged note before deleting anything, so nothing of this snapshot goes
        }
        var candidates = noted.Where(repository.Index.ContainsPack).ToList();
        if (candidates.Count == 0)
            return 0;
        var used = new UsedBlobs();
        await used.AddAsync(repository, [snapshot], ct).ConfigureAwait(false);
        var keep = new List<(PackId, IReadOnlyList<PackEntry>)>();
        foreach (var pack in candidates)
        {
            if (await repository.Storage.StatAsync(Repo.PackName(pack), ct).ConfigureAwait(false) is not { } stored)
                continue;
            var entries = await repository.ReadPackHeaderAsync(pack, stored.Length, ct).ConfigureAwait(false);
            if (HoldsTheOnlyCopyOfAnyOf(repository, pack, entries, used))
                keep.Add((pack, entries));
        }
        if (keep.Count > 0)
            await repository.WriteIndexAsync(keep, ct).ConfigureAwait(false);
        return keep.Count;
    }
}
