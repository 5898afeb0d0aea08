namespace Cairn.Commands.Forget;

/// <summary>What <c>cairn forget</c> removed, or with --dry-run would remove.</summary>
/// <param name="Removed">The snapshots, oldest first.</param>
/// <param name="DryRun">True when nothing was removed.</param>
public sealed record ForgetResult(IReadOnlyList<Inspect.SnapshotInfo> Removed, bool DryRun);
