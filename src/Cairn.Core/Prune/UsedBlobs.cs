using Cairn.Core.Format;
using Cairn.Core.Snapshots;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Prune;

/// <summary>
/// The blobs snapshots refer to: every tree and every content blob below their roots. A tree already in the set
/// is not walked again (its ID names its content, so everything below it is in the set too), which makes adding a
/// snapshot that shares most of its trees with earlier ones cheap. A blob can be claimed once, by the pack that
/// keeps it when the same blob is stored twice.
/// </summary>
public sealed class UsedBlobs
{
    private readonly Dictionary<BlobId, bool> _used = []; // blob → claimed
    private int _claimed;

    /// <summary>Number of blobs in use.</summary>
    public int Count => _used.Count;

    /// <summary>Number of blobs in use that no pack claimed: snapshots refer to them, but no index names them.</summary>
    public int Unclaimed => _used.Count - _claimed;

    /// <summary>True when a snapshot refers to the blob.</summary>
    public bool Contains(BlobId id) => _used.ContainsKey(id);

    /// <summary>Marks one blob as in use (what a tree walk does for every blob it meets).</summary>
    public void MarkUsed(BlobId id) => _used.TryAdd(id, false);

    /// <summary>True, once, for a blob in use: the first pack to ask keeps it.</summary>
    public bool TryClaim(BlobId id)
    {
        if (!_used.TryGetValue(id, out var claimed) || claimed)
            return false;
        _used[id] = true;
        _claimed++;
        return true;
    }

    /// <summary>Adds everything below the snapshots' roots; a tree that cannot be loaded stops the walk.</summary>
    public async Task AddAsync(Repo repository, IEnumerable<Snapshot> snapshots, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(snapshots);
        var pending = new Stack<BlobId>();
        foreach (var snapshot in snapshots)
        {
            if (_used.TryAdd(snapshot.Tree, false))
                pending.Push(snapshot.Tree);
        }
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var node in await repository.LoadTreeOnceAsync(pending.Pop(), ct).ConfigureAwait(false))
            {
                foreach (var id in node.Content)
                    _used.TryAdd(id, false);
                if (node.Subtree is { } subtree && _used.TryAdd(subtree, false))
                    pending.Push(subtree);
            }
        }
    }
}
