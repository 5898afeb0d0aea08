using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Storage;

namespace Cairn.Commands.Inspect;

/// <summary><c>cairn stats</c>: sizes of the repository and of what its snapshots hold.</summary>
public static class StatsHandler
{
    /// <summary>Computes the statistics.</summary>
    public static async Task<RepositoryStats> RunAsync(Repository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        long raw = 0;
        int data = 0, trees = 0;
        foreach (var (_, entry) in repository.Index.Entries())
        {
            raw += entry.RawLength;
            if (entry.Type == BlobType.Data)
                data++;
            else
                trees++;
        }
        long stored = 0;
        await foreach (var o in repository.Storage.ListAsync(ObjectKind.Pack, ct).ConfigureAwait(false))
            stored += o.Length;
        var snapshots = await repository.LoadSnapshotsAsync((_, _) => { }, ct).ConfigureAwait(false);
        var blobs = repository.Index.BlobCount;
        var indexBytes = Math.Max(0, after - before);
        return new RepositoryStats(snapshots.Count, repository.Index.PackCount, blobs, data, trees, raw, stored,
            snapshots.Sum(s => s.Summary.TotalBytes), snapshots.Sum(s => s.Summary.TotalFiles),
            stored == 0 ? 1 : (double)raw / stored, indexBytes, blobs == 0 ? 0 : (double)indexBytes / blobs);
    }
}
