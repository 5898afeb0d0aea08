using Cairn.Core.Retention;
using Cairn.Core.Snapshots;

namespace Cairn.Commands.Inspect;

/// <summary>A snapshot as listed by <c>cairn snapshots</c>.</summary>
public sealed record SnapshotInfo(string Id, string ShortId, DateTimeOffset Time, string Host, IReadOnlyList<string> Tags,
    IReadOnlyList<string> Paths, string Tree, string? Parent, SnapshotSummary Summary, string? RepairedFrom = null, IReadOnlyList<string>? Lost = null,
    DateTimeOffset? DestroyAfter = null, DateTimeOffset? HeldUntil = null, string? HoldReason = null)
{
    /// <summary>Converts a stored snapshot, with the hold that applies to it if any.</summary>
    public static SnapshotInfo From(Snapshot s, Hold? hold)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new SnapshotInfo(s.Id.ToString(), s.Id.Short, s.Time, s.Host, s.Tags, s.Paths, s.Tree.ToString(), s.Parent?.ToString(), s.Summary,
            s.RepairedFrom?.ToString(), s.Lost.Count == 0 ? null : s.Lost, s.DestroyAfter, hold?.Until, hold is { Reason.Length: > 0 } ? hold.Reason : null);
    }

    /// <summary>Converts a stored snapshot.</summary>
    public static SnapshotInfo From(Snapshot s) => From(s, null);
}
