using Cairn.Core.Format;
using Cairn.Core.Trees;

namespace Cairn.Core.Repository;

/// <summary>A small least-recently-added cache of decoded trees; walks revisit the same trees often.</summary>
internal sealed class TreeCache(int capacity)
{
    private readonly Dictionary<BlobId, IReadOnlyList<Node>> _trees = [];
    private readonly Queue<BlobId> _order = new();
    private readonly Lock _lock = new();

    public bool TryGet(BlobId id, out IReadOnlyList<Node> nodes)
    {
        lock (_lock)
            return _trees.TryGetValue(id, out nodes!);
    }

    public void Add(BlobId id, IReadOnlyList<Node> nodes)
    {
        lock (_lock)
        {
            if (!_trees.TryAdd(id, nodes))
                return;
            _order.Enqueue(id);
            while (_order.Count > capacity)
                _trees.Remove(_order.Dequeue());
        }
    }
}
