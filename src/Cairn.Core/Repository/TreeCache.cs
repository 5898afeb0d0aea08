using Cairn.Core.Format;
using Cairn.Core.Trees;

namespace Cairn.Core.Repository;

/// <summary>
/// A least-recently-added cache of decoded trees for walks that come back to them (ls, find across snapshots,
/// diff, the GUI). It is bounded by the entries the trees hold, not by the number of trees: one directory of a
/// million files is a million nodes of a few hundred bytes each. A tree larger than the whole capacity is not kept.
/// </summary>
internal sealed class TreeCache(int capacityInNodes)
{
    private readonly Dictionary<BlobId, IReadOnlyList<Node>> _trees = [];
    private readonly Queue<BlobId> _order = new();
    private readonly Lock _lock = new();
    private long _nodes;

    public bool TryGet(BlobId id, out IReadOnlyList<Node> nodes)
    {
        lock (_lock)
            return _trees.TryGetValue(id, out nodes!);
    }

    public void Add(BlobId id, IReadOnlyList<Node> nodes)
    {
        var weight = WeightOf(nodes);
        if (weight > capacityInNodes)
            return;
        lock (_lock)
        {
            if (!_trees.TryAdd(id, nodes))
                return;
            _order.Enqueue(id);
            _nodes += weight;
            while (_nodes > capacityInNodes)
            {
                _trees.Remove(_order.Dequeue(), out var evicted);
                _nodes -= WeightOf(evicted!);
            }
        }
    }

    private static int WeightOf(IReadOnlyList<Node> nodes) => Math.Max(1, nodes.Count);
}
