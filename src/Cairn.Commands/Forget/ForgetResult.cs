namespace Cairn.Commands.Forget;

/// <summary>What <c>cairn forget</c> removed, or with --dry-run would remove.</summary>
/// <param name="Groups">With a policy: every group and the decision for each of its snapshots.</param>
/// <param name="Removed">The snapshots removed (or to remove), oldest first.</param>
/// <param name="DryRun">True when nothing was removed.</param>
/// <param name="Uncovered">With --apply-policy: the snapshots no stored policy covers (all kept).</param>
public sealed record ForgetResult(IReadOnlyList<ForgetGroup> Groups, IReadOnlyList<Inspect.SnapshotInfo> Removed, bool DryRun,
    IReadOnlyList<Inspect.SnapshotInfo>? Uncovered = null);
