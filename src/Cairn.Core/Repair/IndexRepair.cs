using System.Collections.Concurrent;
using Cairn.Core.Format;
using Cairn.Storage;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Repair;

/// <summary>
/// Rebuilds the index from the packs themselves: every pack's header is read, new index files naming every
/// readable pack are written, and only then are the old index files removed. A pack whose header cannot be read is
/// reported and keeps what the old index said of it (its data may be intact; <c>check --read-data</c> tells); a
/// storage failure (permissions, network) ends the repair before anything changes.
/// </summary>
public static class IndexRepair
{
    /// <summary>Runs the repair; the caller holds an exclusive lock.</summary>
    public static async Task<IndexRepairResult> RunAsync(Repo repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var old = await repository.ListAsync(ObjectKind.Index, ct).ConfigureAwait(false);
        // What the old index says, for packs whose header cannot be read: their entries may well still be right.
        var previous = new Prune.PackTable();
        await repository.LoadIndexAsync((_, _) => { }, ct, previous.Add).ConfigureAwait(false);
        var stored = new List<StoredObject>();
        await foreach (var o in repository.Storage.ListAsync(ObjectKind.Pack, ct).ConfigureAwait(false))
            stored.Add(o);
        var headers = new ConcurrentBag<(PackId Pack, IReadOnlyList<PackEntry> Entries)>();
        var damaged = new ConcurrentBag<DamagedObject>();
        await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (o, token) =>
        {
            if (!Digest.TryParse(o.Name.Name, out var digest))
                return;
            try
            {
                headers.Add((new PackId(digest), await repository.ReadPackHeaderAsync(new PackId(digest), o.Length, token).ConfigureAwait(false)));
            }
            catch (Exception e) when (e is RepositoryCorruptException or StorageException { Kind: StorageErrorKind.NotFound })
            {
                // A storage failure (permissions, network) is not damage: it ends the repair before anything changes.
                damaged.Add(new DamagedObject(o.Name.ToString(), e.Message));
                if (previous.Contains(new PackId(digest)))
                    headers.Add((new PackId(digest), previous.EntriesOf(new PackId(digest))));
            }
        }).ConfigureAwait(false);

        var written = (await repository.WriteIndexFilesAsync(headers.OrderBy(h => h.Pack.ToString(), StringComparer.Ordinal), ct).ConfigureAwait(false))
            .Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var name in old.Where(n => !written.Contains(n.Name)))
        {
            await repository.Storage.DeleteAsync(name, ct).ConfigureAwait(false);
            removed++;
        }
        return new IndexRepairResult(headers.Count, headers.Sum(h => (long)h.Entries.Count), [.. damaged.OrderBy(d => d.Name, StringComparer.Ordinal)], written.Count, removed);
    }
}
