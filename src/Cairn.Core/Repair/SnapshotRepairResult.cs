namespace Cairn.Core.Repair;

/// <summary>What <c>repair snapshots</c> found and did.</summary>
/// <param name="Checked">Snapshots looked at.</param>
/// <param name="Repaired">The damaged ones.</param>
/// <param name="Unreadable">Snapshot files that could not be read at all, with the reason.</param>
public sealed record SnapshotRepairResult(int Checked, IReadOnlyList<RepairedSnapshot> Repaired, IReadOnlyList<DamagedObject> Unreadable);
