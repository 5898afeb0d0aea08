using Cairn.Core.Format;

namespace Cairn.Core.Prune;

/// <summary>What a prune will do: packs to delete and to repack, and the bytes before and after.</summary>
public sealed record PrunePlan
{
    /// <summary>Packs that hold nothing in use.</summary>
    public required IReadOnlyList<PackId> Delete { get; init; }
    /// <summary>Packs whose used blobs are copied into new packs before they are deleted.</summary>
    public required IReadOnlyList<PackId> Repack { get; init; }
    /// <summary>For each pack to repack, the blobs to copy: those in use that no other kept pack holds.</summary>
    public required IReadOnlyDictionary<PackId, IReadOnlyList<PackEntry>> RepackBlobs { get; init; }
    /// <summary>Packs kept as they are.</summary>
    public required int Keep { get; init; }
    /// <summary>Stored size of the packs to delete.</summary>
    public required long DeleteBytes { get; init; }
    /// <summary>Stored size of the packs to repack.</summary>
    public required long RepackBytes { get; init; }
    /// <summary>Bytes of used blobs the repack copies.</summary>
    public required long RepackUsedBytes { get; init; }
    /// <summary>Bytes of blobs in use.</summary>
    public required long UsedBytes { get; init; }
    /// <summary>Bytes of unused blobs (or second copies) before prune.</summary>
    public required long UnusedBytesBefore { get; init; }
    /// <summary>Bytes of unused blobs left in kept packs after prune.</summary>
    public required long UnusedBytesAfter { get; init; }
    /// <summary>Stored size of all indexed packs before prune.</summary>
    public required long TotalBytesBefore { get; init; }

    /// <summary>What the repository shrinks by: the deleted and repacked packs less what the repack writes again.</summary>
    public long FreedBytes => DeleteBytes + RepackBytes - RepackUsedBytes;

    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => Delete.Count == 0 && Repack.Count == 0;
}
