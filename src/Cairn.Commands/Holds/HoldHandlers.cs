using Cairn.Core;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Retention;

namespace Cairn.Commands.Holds;

/// <summary><c>cairn hold</c>: place, release and list holds; and the active holds that forget and snapshots consult.</summary>
public static class HoldHandlers
{
    /// <summary>The active hold of each held snapshot (the one that lasts longest).</summary>
    public static async Task<Dictionary<SnapshotId, Hold>> ActiveAsync(Repository repository, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var active = new Dictionary<SnapshotId, Hold>();
        foreach (var (_, hold) in await repository.LoadHoldsAsync(ct).ConfigureAwait(false))
        {
            if (!hold.IsActive(now) || !Digest.TryParse(hold.Snapshot, out var digest))
                continue;
            var id = new SnapshotId(digest);
            if (!active.TryGetValue(id, out var known) || known.Until < hold.Until)
                active[id] = hold;
        }
        return active;
    }

    /// <summary>Holds a snapshot until <paramref name="until"/>, under an exclusive lock so that no forget decides meanwhile.</summary>
    public static async Task<Hold> PlaceAsync(Repository repository, string snapshotText, DateTimeOffset until, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (until <= DateTimeOffset.UtcNow)
            throw new CairnException(ErrorKind.Usage, $"--until {until:u} is in the past", "give a later date, e.g. --until 2030-12-31 or --until 2y");
        await using var repositoryLock = await repository.LockAsync(exclusive: true, "hold", ct).ConfigureAwait(false);
        var snapshot = await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false);
        var hold = new Hold
        {
            Snapshot = snapshot.Id.ToString(),
            Until = until,
            Reason = reason,
            Created = DateTimeOffset.UtcNow,
            By = $"{Environment.UserName}@{Environment.MachineName}",
        };
        await repository.Storage.CreateAsync(ct).ConfigureAwait(false); // repositories older than holds/ lack the directory
        await repository.WriteHoldAsync(hold, ct).ConfigureAwait(false);
        return hold;
    }

    /// <summary>Releases every hold on a snapshot; returns how many there were.</summary>
    public static async Task<int> ReleaseAsync(Repository repository, string snapshotText, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        await using var repositoryLock = await repository.LockAsync(exclusive: true, "hold", ct).ConfigureAwait(false);
        var holds = await repository.LoadHoldsAsync(ct).ConfigureAwait(false);
        // A hold may outlive its snapshot only if something removed the snapshot behind forget's back: match by prefix.
        var id = holds.Select(h => h.Hold.Snapshot).Distinct().Where(s => s.StartsWith(snapshotText, StringComparison.Ordinal)).ToList() switch
        {
            [var one] => one,
            [] => (await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false)).Id.ToString(),
            var several => throw new CairnException(ErrorKind.Usage, $"'{snapshotText}' matches holds on {several.Count} snapshots", "give more of the ID"),
        };
        var released = 0;
        foreach (var (name, hold) in holds.Where(h => h.Hold.Snapshot == id))
        {
            await repository.Storage.DeleteAsync(name, ct).ConfigureAwait(false);
            released++;
        }
        return released;
    }

    /// <summary>Every hold, active or not, newest first.</summary>
    public static async Task<List<Hold>> ListAsync(Repository repository, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return [.. (await repository.LoadHoldsAsync(ct).ConfigureAwait(false)).Select(h => h.Hold).OrderByDescending(h => h.Created)];
    }
}
