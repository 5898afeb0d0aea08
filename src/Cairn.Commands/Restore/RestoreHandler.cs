using Cairn.Core.Repository;
using Cairn.Core.Restore;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Restore;

/// <summary>Restores a snapshot or a path in it.</summary>
public static class RestoreHandler
{
    /// <summary>Runs <c>cairn restore</c>.</summary>
    public static async Task<RestoreResult> RunAsync(Repository repository, RestoreCommandOptions options, RestoreProgress progress, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        await using var repoLock = await repository.LockAsync(exclusive: false, "restore", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var (snapshotText, path) = SnapshotSelector.SplitPath(options.Snapshot);
        var snapshot = await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false);
        var node = await SnapshotSelector.FindNodeAsync(repository, snapshot, path, ct).ConfigureAwait(false);
        if (TakesWholeSnapshot(snapshot, path, options))
            progress.Expect(snapshot.Summary.TotalFiles, snapshot.Summary.TotalBytes);
        var restorer = new Restorer(repository, new RestoreOptions
        {
            Includes = options.Includes,
            Excludes = options.Excludes,
            Verify = options.Verify,
            NoOwner = options.NoOwner,
            NumericOwner = options.NumericOwner,
            NoXattrs = options.NoXattrs,
            NoAcls = options.NoAcls,
            NoTimes = options.NoTimes,
            NoSparse = options.NoSparse,
            NoFlags = options.NoFlags,
            // A remote store answers each read after a round trip: enough readers to keep its connections busy.
            Workers = Math.Max(Math.Max(2, Environment.ProcessorCount * 2), 2 * repository.Storage.ParallelWrites),
        }, progress);
        return await restorer.RunAsync(node, path, options.Target, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the restore takes everything the snapshot's summary counts: no include or exclude patterns, and the
    /// snapshot's root or its one backed-up path.
    /// </summary>
    internal static bool TakesWholeSnapshot(Snapshot snapshot, string path, RestoreCommandOptions options)
    {
        if (options.Includes.Count > 0 || options.Excludes.Count > 0)
            return false;
        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 || (snapshot.Paths.Count == 1 && snapshot.Paths[0].TrimEnd('/') == trimmed);
    }
}
