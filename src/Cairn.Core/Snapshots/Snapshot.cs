using System.Text.Json.Serialization;
using Cairn.Core.Format;

namespace Cairn.Core.Snapshots;

/// <summary>
/// One backup: when, from where, and the root tree. Stored as two sealed sections — a summary (host, time, tags,
/// counts; the snapshot-summary key) and a detail (paths, tree, parent; the metadata key) — so that a summary-only
/// role can report without seeing names.
/// </summary>
public sealed record Snapshot
{
    /// <summary>The snapshot's ID (the hash of its stored bytes); not part of the stored JSON.</summary>
    [JsonIgnore] public SnapshotId Id { get; init; }
    /// <summary>The snapshot's time (by default when the backup started).</summary>
    public required DateTimeOffset Time { get; init; }
    /// <summary>The host the backup was taken on.</summary>
    public required string Host { get; init; }
    /// <summary>Tags given at backup.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The version of Cairn that wrote it.</summary>
    public string ProgramVersion { get; init; } = "";
    /// <summary>Counts and sizes.</summary>
    public SnapshotSummary Summary { get; init; } = new();
    /// <summary>The absolute paths that were backed up.</summary>
    public required IReadOnlyList<string> Paths { get; init; }
    /// <summary>The root tree.</summary>
    public required BlobId Tree { get; init; }
    /// <summary>The snapshot used for change detection, if any.</summary>
    public SnapshotId? Parent { get; init; }
    /// <summary>The user who ran the backup.</summary>
    public string Username { get; init; } = "";
    /// <summary>Exclude patterns in effect.</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];
    /// <summary>After this time a policy forget removes the snapshot even if a keep rule would keep it (a hold still wins).</summary>
    public DateTimeOffset? DestroyAfter { get; init; }
    /// <summary>The snapshot of another repository this one is a copy of (<c>cairn copy</c>), if any.</summary>
    public SnapshotId? CopiedFrom { get; init; }
    /// <summary>The damaged snapshot this one was made from by <c>repair snapshots</c>, if any.</summary>
    public SnapshotId? RepairedFrom { get; init; }
    /// <summary>What <c>repair snapshots</c> left out because its data was lost (paths, a directory's ending in '/').</summary>
    public IReadOnlyList<string> Lost { get; init; } = [];
}
