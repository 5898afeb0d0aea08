using Cairn.Commands.Holds;
using Cairn.Commands.Inspect;
using Cairn.Core;
using Cairn.Core.Repository;
using Cairn.Core.Retention;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Forget;

/// <summary>Removes snapshots: by name, or those a retention policy does not keep.</summary>
public static class ForgetHandler
{
    /// <summary>
    /// Runs <c>cairn forget</c>. Everything is decided before anything is removed: a name that matches no snapshot,
    /// or a policy that would empty a group, removes nothing. Snapshots go one by one under an exclusive lock.
    /// </summary>
    public static async Task<ForgetResult> RunAsync(Repository repository, ForgetOptions options, CancellationToken ct = default) =>
        await RunAsync(repository, options, DateTimeOffset.Now, TimeZoneInfo.Local, ct).ConfigureAwait(false);

    /// <summary>The same, with the clock and the time zone of calendar periods given.</summary>
    public static async Task<ForgetResult> RunAsync(Repository repository, ForgetOptions options, DateTimeOffset now, TimeZoneInfo zone, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        var byPolicy = !options.Policy.IsEmpty;
        if (byPolicy && options.Snapshots.Count > 0)
            throw new CairnException(ErrorKind.Usage, "give snapshots or a policy, not both");
        if (!byPolicy && options.Snapshots.Count == 0)
            throw new CairnException(ErrorKind.Usage, "no snapshots and no policy given: nothing removed",
                "name snapshots, or give --keep-* options, e.g. 'cairn forget --keep-daily 7 --keep-weekly 5'");

        // Decided under the exclusive lock (unless only looking), so that a forget running at the same time cannot
        // remove what this one decided to keep.
        await using var repositoryLock = options.DryRun ? null : await repository.LockAsync(exclusive: true, "forget", ct).ConfigureAwait(false);
        var groups = new List<ForgetGroup>();
        var holds = await HoldHandlers.ActiveAsync(repository, now, ct).ConfigureAwait(false);
        List<Snapshot> doomed;
        if (byPolicy)
        {
            var all = await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false);
            doomed = [];
            foreach (var (key, members) in SnapshotGroupKey.Group(all.Where(s => Considered(s, options)), options.GroupBy))
            {
                var decisions = Retention.Apply(members, options.Policy, now, zone, holds);
                // A group may empty only through destroy-by dates, never because the rules keep nothing.
                if (decisions.All(d => !d.Keep) && decisions.Any(d => d.Reasons is [Retention.NoRuleKeepsIt]))
                    throw new CairnException(ErrorKind.InvalidInput, $"the policy keeps no snapshot of the group {key}: nothing removed",
                        "check --keep-tag, or narrow what is considered with --host, --tag or --path");
                groups.Add(new ForgetGroup(key.ToString(), options.Policy.Describe(),
                    [.. decisions.Select(d => new ForgetDecision(SnapshotInfo.From(d.Snapshot, holds.GetValueOrDefault(d.Snapshot.Id)), d.Keep, d.Reasons))]));
                doomed.AddRange(decisions.Where(d => !d.Keep).Select(d => d.Snapshot));
            }
        }
        else
        {
            var chosen = new List<Snapshot>();
            foreach (var text in options.Snapshots)
                chosen.Add(await SnapshotSelector.ResolveAsync(repository, text, null, ct).ConfigureAwait(false));
            doomed = [.. chosen.DistinctBy(s => s.Id)];
            if (doomed.FirstOrDefault(s => holds.ContainsKey(s.Id)) is { } held)
                throw new CairnException(ErrorKind.InvalidInput, $"snapshot {held.Id.Short} is {holds[held.Id].Describe()}: nothing removed",
                    $"it can be removed once the hold ends, or after 'cairn hold --release {held.Id.Short}'");
        }
        doomed = [.. doomed.OrderBy(s => s.Time)];
        if (!options.DryRun)
        {
            foreach (var snapshot in doomed)
                await repository.DeleteSnapshotAsync(snapshot.Id, ct).ConfigureAwait(false);
            // Holds that ended stay as a record while their snapshot exists; they go with it.
            var gone = doomed.Select(s => s.Id.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, hold) in await repository.LoadHoldsAsync(ct).ConfigureAwait(false))
            {
                if (gone.Contains(hold.Snapshot))
                    await repository.Storage.DeleteAsync(name, ct).ConfigureAwait(false);
            }
        }
        return new ForgetResult(groups, [.. doomed.Select(SnapshotInfo.From)], options.DryRun);
    }

    private static bool Considered(Snapshot snapshot, ForgetOptions options) =>
        (options.Hosts.Count == 0 || options.Hosts.Contains(snapshot.Host))
        && (options.Tags.Count == 0 || options.Tags.Any(set => set.All(snapshot.Tags.Contains)))
        && options.Paths.All(snapshot.Paths.Contains);
}
