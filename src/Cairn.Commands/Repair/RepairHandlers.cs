using Cairn.Core.Repair;
using Cairn.Core.Repository;

namespace Cairn.Commands.Repair;

/// <summary>Runs <c>cairn repair index</c> and <c>cairn repair snapshots</c>, each under an exclusive lock.</summary>
public static class RepairHandlers
{
    /// <summary>Rebuilds the index from the packs.</summary>
    public static async Task<IndexRepairResult> IndexAsync(Repository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repositoryLock = await repository.LockAsync(exclusive: true, "repair index", ct).ConfigureAwait(false);
        return await IndexRepair.RunAsync(repository, ct).ConfigureAwait(false);
    }

    /// <summary>Rewrites snapshots that refer to missing data (only looks, with a dry run).</summary>
    public static async Task<SnapshotRepairResult> SnapshotsAsync(Repository repository, SnapshotRepairOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        await using var repositoryLock = await repository.LockAsync(exclusive: !options.DryRun, "repair snapshots", ct).ConfigureAwait(false);
        return await new SnapshotRepair(repository, options).RunAsync(ct).ConfigureAwait(false);
    }
}
