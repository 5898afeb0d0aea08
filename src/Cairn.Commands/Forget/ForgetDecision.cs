using Cairn.Commands.Inspect;

namespace Cairn.Commands.Forget;

/// <summary>One snapshot of a group: kept or removed, and why.</summary>
/// <param name="Snapshot">The snapshot.</param>
/// <param name="Keep">True when the policy keeps it.</param>
/// <param name="Reasons">The rules that keep it, or why it goes.</param>
public sealed record ForgetDecision(SnapshotInfo Snapshot, bool Keep, IReadOnlyList<string> Reasons);
