using System.Collections.Concurrent;
using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>
/// Every blob the repository's index files (and this session's new packs) know, for lookups during backup and
/// restore. Thread-safe: lookups run concurrently with additions from pack uploads.
/// </summary>
public sealed class MasterIndex
{
    private readonly ConcurrentDictionary<BlobId, IndexEntry> _blobs = new();
    private readonly List<PackId> _packs = [];
    private readonly Dictionary<PackId, int> _packOrdinals = [];
    private readonly Lock _packLock = new();

    /// <summary>Number of distinct blobs known.</summary>
    public int BlobCount => _blobs.Count;

    /// <summary>Number of packs known.</summary>
    public int PackCount
    {
        get
        {
            lock (_packLock)
                return _packs.Count;
        }
    }

    /// <summary>Adds a pack's entries; entries already known elsewhere keep their first location.</summary>
    public void AddPack(PackId pack, IEnumerable<PackEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ordinal = OrdinalOf(pack);
        foreach (var e in entries)
            _blobs.TryAdd(e.Id, new IndexEntry(ordinal, e.Offset, e.StoredLength, e.RawLength, e.Type, e.Compression));
    }

    /// <summary>True when the blob is stored.</summary>
    public bool Contains(BlobId id) => _blobs.ContainsKey(id);

    /// <summary>Finds a blob.</summary>
    public bool TryGet(BlobId id, out IndexEntry entry) => _blobs.TryGetValue(id, out entry);

    /// <summary>The pack an entry's ordinal stands for.</summary>
    public PackId PackOf(IndexEntry entry)
    {
        lock (_packLock)
            return _packs[entry.PackOrdinal];
    }

    /// <summary>True when the index knows the pack.</summary>
    public bool ContainsPack(PackId pack)
    {
        lock (_packLock)
            return _packOrdinals.ContainsKey(pack);
    }

    /// <summary>A snapshot of all packs.</summary>
    public IReadOnlyList<PackId> Packs()
    {
        lock (_packLock)
            return [.. _packs];
    }

    /// <summary>Every blob with its location.</summary>
    public IEnumerable<KeyValuePair<BlobId, IndexEntry>> Entries() => _blobs;

    private int OrdinalOf(PackId pack)
    {
        lock (_packLock)
        {
            if (!_packOrdinals.TryGetValue(pack, out var ordinal))
            {
                ordinal = _packs.Count;
                _packs.Add(pack);
                _packOrdinals[pack] = ordinal;
            }
            return ordinal;
        }
    }
}
