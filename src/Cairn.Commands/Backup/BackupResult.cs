using Cairn.Core.Snapshots;

namespace Cairn.Commands.Backup;

/// <summary>What <c>cairn backup</c> did.</summary>
/// <param name="SnapshotId">The new snapshot, or null for a dry run.</param>
/// <param name="Parent">The parent used for change detection.</param>
/// <param name="Summary">Counts and sizes.</param>
/// <param name="DryRun">True when nothing was stored.</param>
/// <param name="RecoveredPacks">Packs of an interrupted earlier backup that this run indexed and reused.</param>
public sealed record BackupResult(string? SnapshotId, string? Parent, SnapshotSummary Summary, bool DryRun, int RecoveredPacks);
