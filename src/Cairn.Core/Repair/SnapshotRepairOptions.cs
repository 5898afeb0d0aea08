namespace Cairn.Core.Repair;

/// <summary>Settings of <c>repair snapshots</c>.</summary>
/// <param name="DryRun">Report what is damaged; write nothing.</param>
/// <param name="Forget">Remove each damaged snapshot once its repaired copy is stored (or when nothing of it can be kept).</param>
public sealed record SnapshotRepairOptions(bool DryRun = false, bool Forget = false);
