using Cairn.Core.Format;

namespace Cairn.Core.Prune;

/// <summary>
/// What the index files say each pack holds, duplicates included (the master index keeps only a blob's first
/// location).
/// </summary>
public sealed class PackTable
{
    private readonly Dictionary<PackId, List<PackEntry>> _packs = [];

    /// <summary>The packs, in no particular order.</summary>
    public IEnumerable<PackId> Packs => _packs.Keys;

    /// <summary>True when some index file names the pack.</summary>
    public bool Contains(PackId pack) => _packs.ContainsKey(pack);

    /// <summary>The entries of a pack.</summary>
    public IReadOnlyList<PackEntry> EntriesOf(PackId pack) => _packs[pack];

    /// <summary>Adds entries of a pack; an entry named twice (by two index files) is kept once.</summary>
    public void Add(PackId pack, IEnumerable<PackEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!_packs.TryGetValue(pack, out var list))
        {
            _packs[pack] = [.. entries];
            return;
        }
        foreach (var entry in entries)
        {
            if (!list.Contains(entry))
                list.Add(entry);
        }
    }

    /// <summary>Removes a pack.</summary>
    public void Remove(PackId pack) => _packs.Remove(pack);
}
