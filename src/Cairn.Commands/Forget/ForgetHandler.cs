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
        if ((byPolicy ? 1 : 0) + (options.ApplyPolicy ? 1 : 0) + (options.Snapshots.Count > 0 ? 1 : 0) > 1)
            throw new CairnException(ErrorKind.Usage, "give snapshots, --keep-* rules or --apply-policy, only one of them");
        if (!byPolicy && !options.ApplyPolicy && options.Snapshots.Count == 0)
            throw new CairnException(ErrorKind.Usage, "no snapshots and no policy given: nothing removed",
                "name snapshots, or give --keep-* options, e.g. 'cairn forget --keep-daily 7 --keep-weekly 5', or --apply-policy");

        // Decided under the exclusive lock (unless only looking), so that a forget running at the same time cannot
        // remove what this one decided to keep.
        await using var repositoryLock = options.DryRun ? null : await repository.LockAsync(exclusive: true, "forget", ct).ConfigureAwait(false);
        var groups = new List<ForgetGroup>();
        var holds = await HoldHandlers.ActiveAsync(repository, now, ct).ConfigureAwait(false);
        var doomed = new List<Snapshot>();
        var uncovered = new List<SnapshotInfo>();
        void Decide(string label, IEnumerable<Snapshot> snapshots, RetentionPolicy policy, string description)
        {
            foreach (var (key, members) in SnapshotGroupKey.Group(snapshots, options.GroupBy))
            {
                var decisions = Retention.Apply(members, policy, now, zone, holds);
                // A group may empty only through destroy-by dates, never because the rules keep nothing.
                if (decisions.All(d => !d.Keep) && decisions.Any(d => d.Reasons is [Retention.NoRuleKeepsIt]))
                    throw new CairnException(ErrorKind.InvalidInput, $"the policy keeps no snapshot of the group {label}{key}: nothing removed",
                        "check --keep-tag, or narrow what is considered with --host, --tag or --path");
                groups.Add(new ForgetGroup(label + key, description,
                    [.. decisions.Select(d => new ForgetDecision(SnapshotInfo.From(d.Snapshot, holds.GetValueOrDefault(d.Snapshot.Id)), d.Keep, d.Reasons))]));
                doomed.AddRange(decisions.Where(d => !d.Keep).Select(d => d.Snapshot));
            }
        }
        if (byPolicy)
        {
            var all = await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false);
            Decide("", all.Where(s => Considered(s, options)), options.Policy, options.Policy.Describe());
        }
        else if (options.ApplyPolicy)
        {
            var stored = await repository.LoadPoliciesAsync(ct).ConfigureAwait(false);
            if (stored.Count == 0)
                throw new CairnException(ErrorKind.Usage, "the repository holds no retention policy: nothing removed", "add one with 'cairn policy set NAME --keep-daily 7 ...'");
            var all = await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false);
            var covered = new Dictionary<string, List<Snapshot>>(StringComparer.Ordinal);
            foreach (var snapshot in all.Where(s => Considered(s, options)))
            {
                // The most specific policy that covers a snapshot applies to it (ties: the first name).
                if (stored.Where(p => p.Covers(snapshot)).OrderByDescending(p => p.Specificity).FirstOrDefault() is { } policy)
                    (covered.TryGetValue(policy.Name, out var list) ? list : covered[policy.Name] = []).Add(snapshot);
                else
                    uncovered.Add(SnapshotInfo.From(snapshot, holds.GetValueOrDefault(snapshot.Id)));
            }
            foreach (var policy in stored.Where(p => covered.ContainsKey(p.Name)))
            {
                RetentionPolicy rules;
                RetentionDuration? destroyAfter;
                try
                {
                    rules = policy.ToRetentionPolicy();
                    destroyAfter = policy.DestroyAfter is { } text ? RetentionDuration.Parse(text) : null;
                }
                catch (FormatException e)
                {
                    throw new CairnException(ErrorKind.RepositoryCorrupt, $"policies/{policy.Name}: {e.Message}", "set the policy again with 'cairn policy set'");
                }
                // A policy without keep rules keeps everything its destroy-by span has not reached.
                if (rules.IsEmpty)
                    rules = rules with { Last = RetentionPolicy.Unlimited };
                var members = covered[policy.Name].Select(s => destroyAfter is { } span && (s.DestroyAfter is not { } own || span.After(s.Time) < own)
                    ? s with { DestroyAfter = span.After(s.Time) }
                    : s);
                Decide($"policy {policy.Name}: ", members, rules, rules.Describe() + (destroyAfter is { } d ? $"; destroy after {d}" : ""));
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
        return new ForgetResult(groups, [.. doomed.Select(SnapshotInfo.From)], options.DryRun, options.ApplyPolicy ? uncovered : null);
    }

    private static bool Considered(Snapshot snapshot, ForgetOptions options) =>
        (options.Hosts.Count == 0 || options.Hosts.Contains(snapshot.Host))
        && (options.Tags.Count == 0 || options.Tags.Any(set => set.All(snapshot.Tags.Contains)))
        && options.Paths.All(snapshot.Paths.Contains);
}
