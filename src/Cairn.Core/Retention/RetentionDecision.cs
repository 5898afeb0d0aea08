using Cairn.Core.Snapshots;

namespace Cairn.Core.Retention;

/// <summary>What a policy decided for one snapshot, and why.</summary>
/// <param name="Snapshot">The snapshot.</param>
/// <param name="Keep">True to keep it.</param>
/// <param name="Reasons">The rules that keep it, e.g. "daily", "within 7d", "oldest monthly"; or why it goes.</param>
public sealed record RetentionDecision(Snapshot Snapshot, bool Keep, IReadOnlyList<string> Reasons);
