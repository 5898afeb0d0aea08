using Cairn.Core.Format;

namespace Cairn.Core.Repository;

/// <summary>
/// Every blob the repository's index files (and this session's new packs) know. Built for memory: a blob costs
/// 48 bytes in a segmented entry array plus 4 to 11 bytes of open-addressing slot table — under 64 bytes, where a
/// general dictionary spends about 150 and restic about 350. Thread-safe; lookups are rare next to the
/// hashing and compression they save (one per chunk), so one lock serves readers and writers.
/// </summary>
public sealed class MasterIndex
{
    private const int SegmentBits = 16;
    private const int SegmentSize = 1 << SegmentBits;
    private const int MaxPackOrdinal = (1 << 28) - 1;

    private readonly List<Entry[]> _segments = [];
    private readonly List<PackId> _packs = [];
    private readonly Dictionary<PackId, int> _packOrdinals = [];
    private readonly Lock _lock = new();
    private int[] _slots = new int[1024]; // entry number + 1; 0 is empty
    private int _count;

    /// <summary>Number of distinct blobs known.</summary>
    public int BlobCount
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>Number of packs known.</summary>
    public int PackCount
    {
        get
        {
            lock (_lock)
                return _packs.Count;
        }
    }

    /// <summary>Adds a pack's entries; a blob already known keeps its first location.</summary>
    public void AddPack(PackId pack, IEnumerable<PackEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            if (!_packOrdinals.TryGetValue(pack, out var ordinal))
            {
                ordinal = _packs.Count;
                if (ordinal > MaxPackOrdinal)
                    throw new InvalidOperationException("the index holds more packs than it can address");
                _packs.Add(pack);
                _packOrdinals[pack] = ordinal;
            }
            foreach (var e in entries)
            {
                if (Find(e.Id) >= 0)
                    continue;
                if ((_count + 1) * 4L > _slots.Length * 3L)
                    Grow();
                var number = _count++;
                if ((number & (SegmentSize - 1)) == 0)
                    _segments.Add(new Entry[SegmentSize]);
                _segments[number >> SegmentBits][number & (SegmentSize - 1)] = new Entry(e.Id, ordinal, e);
                Insert(e.Id, number);
            }
        }
    }

    /// <summary>True when the blob is stored.</summary>
    public bool Contains(BlobId id)
    {
        lock (_lock)
            return Find(id) >= 0;
    }

    /// <summary>Finds a blob.</summary>
    public bool TryGet(BlobId id, out IndexEntry entry)
    {
        lock (_lock)
        {
            var number = Find(id);
            entry = number < 0 ? default : At(number).ToIndexEntry();
            return number >= 0;
        }
    }

    /// <summary>The pack an entry's ordinal stands for.</summary>
    public PackId PackOf(IndexEntry entry)
    {
        lock (_lock)
            return _packs[entry.PackOrdinal];
    }

    /// <summary>True when the index knows the pack.</summary>
    public bool ContainsPack(PackId pack)
    {
        lock (_lock)
            return _packOrdinals.ContainsKey(pack);
    }

    /// <summary>A snapshot of all packs.</summary>
    public IReadOnlyList<PackId> Packs()
    {
        lock (_lock)
            return [.. _packs];
    }

    /// <summary>Every blob with its location, as of the call.</summary>
    public IEnumerable<KeyValuePair<BlobId, IndexEntry>> Entries()
    {
        int count;
        lock (_lock)
            count = _count;
        for (var i = 0; i < count; i++)
        {
            Entry e;
            lock (_lock)
                e = At(i);
            yield return new KeyValuePair<BlobId, IndexEntry>(e.Id, e.ToIndexEntry());
        }
    }

    private ref Entry At(int number) => ref _segments[number >> SegmentBits][number & (SegmentSize - 1)];

    private int Find(BlobId id)
    {
        var mask = _slots.Length - 1;
        for (var slot = id.Digest.GetHashCode() & mask; ; slot = (slot + 1) & mask)
        {
            var value = _slots[slot];
            if (value == 0)
                return -1;
            if (At(value - 1).Id == id)
                return value - 1;
        }
    }

    private void Insert(BlobId id, int number)
    {
        var mask = _slots.Length - 1;
        var slot = id.Digest.GetHashCode() & mask;
        while (_slots[slot] != 0)
            slot = (slot + 1) & mask;
        _slots[slot] = number + 1;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        for (var i = 0; i < _count; i++)
            Insert(At(i).Id, i);
    }

    /// <summary>48 bytes: the ID, pack ordinal with type and compression in its top bits, offset and lengths.</summary>
    private readonly struct Entry(BlobId id, int packOrdinal, PackEntry e)
    {
        private readonly uint _packAndFlags = (uint)packOrdinal | ((uint)e.Type & 3) << 28 | ((uint)e.Compression & 3) << 30;
        private readonly uint _offset = e.Offset;
        private readonly uint _storedLength = e.StoredLength;
        private readonly uint _rawLength = e.RawLength;

        public BlobId Id { get; } = id;

        public IndexEntry ToIndexEntry() => new(
            (int)(_packAndFlags & MaxPackOrdinal), _offset, _storedLength, _rawLength,
            (BlobType)((_packAndFlags >> 28) & 3), (CompressionKind)(_packAndFlags >> 30));
    }
}
