using Cairn.Core.Buffers;
using Cairn.Core.Compression;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Repair;

/// <summary>
/// Rewrites snapshots that refer to data the index does not have (run <c>repair index</c> first, so that the index
/// says what the packs really hold). Everything intact is kept: a file with a missing chunk is left out, a
/// directory whose listing is lost becomes empty, and the copy records both in <see cref="Snapshot.Lost"/>, is
/// tagged <c>repaired</c> and names the original in <see cref="Snapshot.RepairedFrom"/>. The original stays unless
/// <see cref="SnapshotRepairOptions.Forget"/>.
/// </summary>
public sealed class SnapshotRepair(Repo repository, SnapshotRepairOptions options)
{
    private readonly Dictionary<BlobId, TreeOutcome> _outcomes = [];
    private readonly HashSet<PackId> _storedPacks = [];
    private List<(Cairn.Storage.ObjectName Name, Retention.Hold Hold)> _holds = [];
    private BlobWriter? _writer;

    /// <summary>Runs the repair; the caller holds an exclusive lock.</summary>
    public async Task<SnapshotRepairResult> RunAsync(CancellationToken ct = default)
    {
        var unreadable = new List<DamagedObject>();
        var snapshots = await repository.LoadSnapshotsAsync((id, e) => unreadable.Add(new DamagedObject($"snapshots/{id}", e.Message)), ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        _holds = await repository.LoadHoldsAsync(ct).ConfigureAwait(false);
        await foreach (var o in repository.Storage.ListAsync(Cairn.Storage.ObjectKind.Pack, ct).ConfigureAwait(false))
        {
            if (Digest.TryParse(o.Name.Name, out var digest))
                _storedPacks.Add(new PackId(digest));
        }
        var repaired = new List<RepairedSnapshot>();
        await using (_writer = options.DryRun ? null : new BlobWriter(repository, CompressionSetting.Parse(repository.Config.Compression), 1, verifyDedup: false, ct))
        {
            var pending = new List<(Snapshot Original, TreeOutcome Outcome)>();
            foreach (var snapshot in snapshots)
            {
                var outcome = await RepairTreeAsync(snapshot.Tree, ct).ConfigureAwait(false);
                if (outcome.Changed)
                    pending.Add((snapshot, outcome));
            }
            // New trees are stored before any snapshot refers to them.
            if (_writer is not null)
                await _writer.FlushAsync(ct).ConfigureAwait(false);
            foreach (var (original, outcome) in pending)
                repaired.Add(await ReplaceAsync(original, outcome, ct).ConfigureAwait(false));
        }
        return new SnapshotRepairResult(snapshots.Count, repaired, unreadable);
    }

    private async Task<RepairedSnapshot> ReplaceAsync(Snapshot original, TreeOutcome outcome, CancellationToken ct)
    {
        var lost = outcome.Lost ? ["/"] : outcome.LostPaths.Select(p => "/" + p).ToList();
        string? replacement = null;
        var holds = _holds.Where(h => h.Hold.Snapshot == original.Id.ToString() && h.Hold.IsActive(DateTimeOffset.UtcNow)).ToList();
        if (!options.DryRun)
        {
            if (!outcome.Lost)
            {
                var copy = original with
                {
                    Tree = outcome.Tree,
                    Tags = original.Tags.Contains("repaired") ? original.Tags : [.. original.Tags, "repaired"],
                    RepairedFrom = original.Id,
                    Lost = lost,
                };
                replacement = (await repository.SaveSnapshotAsync(copy, ct).ConfigureAwait(false)).ToString();
                // A hold on the damaged snapshot holds its copy too, so that no forget removes what is left of it.
                foreach (var (_, hold) in holds)
                    await repository.WriteHoldAsync(hold with { Snapshot = replacement, Reason = $"{hold.Reason} (moved from {original.Id.Short} by repair)".TrimStart() }, ct).ConfigureAwait(false);
            }
            // A held snapshot of which nothing could be kept stays: the hold says it must not go before its date.
            if (options.Forget && (replacement is not null || holds.Count == 0))
                await repository.DeleteSnapshotAsync(original.Id, ct).ConfigureAwait(false);
        }
        return new RepairedSnapshot(original.Id.ToString(), replacement, lost);
    }

    private async Task<TreeOutcome> RepairTreeAsync(BlobId tree, CancellationToken ct)
    {
        if (_outcomes.TryGetValue(tree, out var known))
            return known;
        IReadOnlyList<Node> nodes;
        try
        {
            nodes = await repository.LoadTreeAsync(tree, ct).ConfigureAwait(false);
        }
        catch (RepositoryCorruptException)
        {
            return _outcomes[tree] = TreeOutcome.WhollyLost;
        }
        var kept = new List<Node>(nodes.Count);
        var lost = new List<string>();
        foreach (var node in nodes)
        {
            var name = PathBytes.Display(node.Name);
            if (!node.Content.All(Available))
            {
                lost.Add(name);
                continue;
            }
            if (node.Subtree is { } subtree)
            {
                var below = await RepairTreeAsync(subtree, ct).ConfigureAwait(false);
                if (below.Lost)
                {
                    kept.Add(node.WithSubtree(await SaveTreeAsync([], ct).ConfigureAwait(false)));
                    lost.Add(name + "/");
                    continue;
                }
                if (below.Changed)
                {
                    kept.Add(node.WithSubtree(below.Tree));
                    lost.AddRange(below.LostPaths.Select(p => name + "/" + p));
                    continue;
                }
            }
            kept.Add(node);
        }
        return _outcomes[tree] = lost.Count == 0
            ? TreeOutcome.Intact(tree)
            : new TreeOutcome(await SaveTreeAsync(kept, ct).ConfigureAwait(false), Changed: true, Lost: false, lost);
    }

    /// <summary>True when the index names the blob and its pack is stored.</summary>
    private bool Available(BlobId id) => repository.Index.TryGet(id, out var entry) && _storedPacks.Contains(repository.Index.PackOf(entry));

    private async Task<BlobId> SaveTreeAsync(List<Node> nodes, CancellationToken ct)
    {
        var bytes = TreeCodec.Encode(nodes);
        var id = repository.IdOf(BlobType.Tree, bytes);
        if (_writer is not null)
        {
            var rented = BufferPool.Shared.Rent(bytes.Length);
            bytes.CopyTo(rented, 0);
            await _writer.SaveAsync(BlobType.Tree, id, rented, bytes.Length, ct).ConfigureAwait(false);
        }
        return id;
    }
}
