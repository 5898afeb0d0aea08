namespace Cairn.Core.Check;

/// <summary>What check found.</summary>
public sealed record CheckResult
{
    /// <summary>Damage: missing or corrupt objects.</summary>
    public required IReadOnlyList<CheckProblem> Errors { get; init; }
    /// <summary>Things that are not damage but worth knowing (unindexed packs from an interrupted backup).</summary>
    public required IReadOnlyList<CheckProblem> Warnings { get; init; }
    /// <summary>Snapshot files affected by the damage.</summary>
    public required IReadOnlyList<AffectedFile> AffectedFiles { get; init; }
    /// <summary>Snapshots checked.</summary>
    public int Snapshots { get; init; }
    /// <summary>Packs known.</summary>
    public int Packs { get; init; }
    /// <summary>Packs read completely.</summary>
    public int PacksRead { get; init; }
    /// <summary>Blobs known.</summary>
    public int Blobs { get; init; }
    /// <summary>Indexed blobs that no snapshot refers to (what forget left behind, or a backup that never finished).</summary>
    public long UnusedBlobs { get; init; }
    /// <summary>Their stored size.</summary>
    public long UnusedBytes { get; init; }
    /// <summary>Packs that hold only unused blobs.</summary>
    public int UnusedPacks { get; init; }
    /// <summary>Packs in the store that no index names (left by an interrupted backup).</summary>
    public int OrphanedPacks { get; init; }
    /// <summary>Their size.</summary>
    public long OrphanedBytes { get; init; }
    /// <summary>Packs that prune took out of the index and deletes once the operations that could use them end.</summary>
    public int PacksAwaitingDeletion { get; init; }
    /// <summary>Bytes in those packs.</summary>
    public long BytesAwaitingDeletion { get; init; }
    /// <summary>True when nothing is damaged.</summary>
    public bool IsHealthy => Errors.Count == 0;
}
