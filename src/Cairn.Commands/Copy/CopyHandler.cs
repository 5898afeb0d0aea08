using Cairn.Core.Compression;
using Cairn.Core.Copy;
using Cairn.Core.Format;
using Cairn.Core.Prune;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Copy;

/// <summary>Runs <c>cairn copy</c>: snapshots of another repository into this one, each repository keeping its own retention.</summary>
public static class CopyHandler
{
    /// <summary>
    /// Copies the snapshots named (all, when none is) that the target has no copy of yet. Both repositories are
    /// locked shared, as a backup locks its repository; the snapshots are stored once all their data is.
    /// </summary>
    public static async Task<CopyResult> RunAsync(Repository target, Repository source, IReadOnlyList<string> snapshots, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(snapshots);
        await using var sourceLock = await source.LockAsync(exclusive: false, "copy (source)", ct).ConfigureAwait(false);
        await using var targetLock = await target.LockAsync(exclusive: false, "copy", ct).ConfigureAwait(false);
        var chosen = new List<Snapshot>();
        if (snapshots.Count == 0)
            chosen.AddRange(await source.LoadSnapshotsAsync(null, ct).ConfigureAwait(false));
        else
        {
            foreach (var text in snapshots)
                chosen.Add(await SnapshotSelector.ResolveAsync(source, text, null, ct).ConfigureAwait(false));
        }
        var copiedBefore = (await target.LoadSnapshotsAsync(null, ct).ConfigureAwait(false)).Select(s => s.CopiedFrom).OfType<Core.Format.SnapshotId>().ToHashSet();
        var distinct = chosen.DistinctBy(s => s.Id).ToList();
        var todo = distinct.Where(s => !copiedBefore.Contains(s.Id)).OrderBy(s => s.Time).ToList();
        await source.LoadIndexAsync(null, ct).ConfigureAwait(false);
        await target.LoadIndexAsync(null, ct).ConfigureAwait(false);

        // One snapshot at a time, each stored once its data is: a failure keeps the snapshots copied before it.
        var copier = new SnapshotCopier(source, target);
        var result = new List<CopiedSnapshot>();
        long blobsAdded = 0, bytesAdded = 0;
        var compression = CompressionSetting.Parse(target.Config.Compression);
        foreach (var original in todo)
        {
            BlobId tree;
            await using (var writer = new BlobWriter(target, compression, Math.Max(1, Environment.ProcessorCount), verifyDedup: false, ct))
            {
                tree = await copier.CopyTreeAsync(original.Tree, writer, ct).ConfigureAwait(false);
                await writer.FlushAsync(ct).ConfigureAwait(false);
                blobsAdded += writer.Statistics.BlobsAdded;
                bytesAdded += writer.Statistics.BytesAdded;
            }
            // The target's retention is its own: no destroy-by date, parent or repair record of the source comes along.
            var copy = original with { Tree = tree, Parent = null, CopiedFrom = original.Id, DestroyAfter = null, RepairedFrom = null };
            var id = await target.SaveSnapshotAsync(copy, ct).ConfigureAwait(false);
            await NotedPacks.KeepThoseUsedByAsync(target, copy, ct).ConfigureAwait(false);
            result.Add(new CopiedSnapshot(original.Id.ToString(), id.ToString(), original.Time, original.Host, original.Paths));
        }
        return new CopyResult(result, distinct.Count - todo.Count, copier.BlobsRead, blobsAdded, bytesAdded, copier.SameIds);
    }
}
