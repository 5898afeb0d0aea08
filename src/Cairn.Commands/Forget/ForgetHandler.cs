using Cairn.Commands.Inspect;
using Cairn.Core.Repository;

namespace Cairn.Commands.Forget;

/// <summary>Removes snapshots by name.</summary>
public static class ForgetHandler
{
    /// <summary>
    /// Runs <c>cairn forget SNAPSHOT...</c>: every name is resolved before anything is removed, so a typo removes
    /// nothing; then, under an exclusive lock, the snapshots are removed one by one.
    /// </summary>
    public static async Task<ForgetResult> RunAsync(Repository repository, ForgetOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Snapshots.Count == 0)
            throw new Core.CairnException(Core.ErrorKind.Usage, "no snapshots to forget", "name them, e.g. 'cairn forget 3f2a9c1d'");
        var chosen = new List<Core.Snapshots.Snapshot>();
        foreach (var text in options.Snapshots)
            chosen.Add(await SnapshotSelector.ResolveAsync(repository, text, null, ct).ConfigureAwait(false));
        var snapshots = chosen.DistinctBy(s => s.Id).OrderBy(s => s.Time).ToList();
        if (!options.DryRun)
        {
            await using var repositoryLock = await repository.LockAsync(exclusive: true, "forget", ct).ConfigureAwait(false);
            foreach (var snapshot in snapshots)
                await repository.DeleteSnapshotAsync(snapshot.Id, ct).ConfigureAwait(false);
        }
        return new ForgetResult([.. snapshots.Select(SnapshotInfo.From)], options.DryRun);
    }
}
