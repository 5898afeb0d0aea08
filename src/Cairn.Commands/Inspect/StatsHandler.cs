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
        // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
        await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
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

    /// <summary>Walks one snapshot and counts what it holds: files, hard-link groups, sparse files, attributes.</summary>
    public static async Task<SnapshotContentStats> SnapshotAsync(Repository repository, string snapshotText, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
        await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var snapshot = await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false);
        long entries = 0, files = 0, bytes = 0, sparse = 0, xattrs = 0, acls = 0, changed = 0;
        var groups = new Dictionary<(ulong, ulong), int>();
        await Core.Trees.TreeWalker.WalkAsync(repository, snapshot.Tree, "/", (_, n) =>
        {
            entries++;
            if (n.Xattrs.Any(x => !x.IsAcl))
                xattrs++;
            if (n.Xattrs.Any(x => x.IsAcl))
                acls++;
            if (n.Kind == Core.Platform.FileKind.File)
            {
                files++;
                bytes += n.Size;
                if (n.Extents is not null)
                    sparse++;
                if (n.ChangedDuringBackup)
                    changed++;
                if (n.Links > 1)
                    groups[(n.Device, n.Inode)] = groups.GetValueOrDefault((n.Device, n.Inode)) + 1;
            }
            return ValueTask.CompletedTask;
        }, ct).ConfigureAwait(false);
        var linked = groups.Values.Where(names => names > 1).ToList();
        return new SnapshotContentStats(snapshot.Id.Short, entries, files, bytes, linked.Count, linked.Sum(), sparse, xattrs, acls, changed);
    }
}
