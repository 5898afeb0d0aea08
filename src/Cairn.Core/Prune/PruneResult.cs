namespace Cairn.Core.Prune;

/// <summary>What a prune did (or, with --dry-run, would do).</summary>
public sealed record PruneResult
{
    /// <summary>The plan of this run.</summary>
    public required PrunePlan Plan { get; init; }
    /// <summary>True when nothing was changed.</summary>
    public bool DryRun { get; init; }
    /// <summary>Packs the repack wrote.</summary>
    public long PacksWritten { get; init; }
    /// <summary>Packs deleted in this run (of this run's plan and of earlier runs' notes).</summary>
    public int PacksDeleted { get; init; }
    /// <summary>Bytes those packs held.</summary>
    public long BytesDeleted { get; init; }
    /// <summary>Packs of earlier notes that a backup still used, indexed again instead of deleted.</summary>
    public int PacksKept { get; init; }
    /// <summary>Deletion notes left for a later prune, because operations that may use their packs still run.</summary>
    public int NotesWaiting { get; init; }
    /// <summary>Packs those notes name.</summary>
    public int PacksWaiting { get; init; }
    /// <summary>The operations those notes wait for, as people read them.</summary>
    public IReadOnlyList<string> WaitingFor { get; init; } = [];
    /// <summary>
    /// Packs of notes that asked for them to be overwritten with zeros (prune --overwrite-freed) and wait for a prune
    /// on a store that can overwrite in place.
    /// </summary>
    public int PacksAwaitingOverwrite { get; init; }
}
