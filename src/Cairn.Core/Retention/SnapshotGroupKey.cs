using Cairn.Core.Snapshots;

namespace Cairn.Core.Retention;

/// <summary>The group a snapshot belongs to: the host, paths and tags that the grouping looks at (null: not looked at).</summary>
/// <param name="Host">The host, or null.</param>
/// <param name="Paths">The paths, sorted, or null.</param>
/// <param name="Tags">The tags, sorted, or null.</param>
public sealed record SnapshotGroupKey(string? Host, IReadOnlyList<string>? Paths, IReadOnlyList<string>? Tags)
{
    /// <summary>The key of a snapshot under a grouping.</summary>
    public static SnapshotGroupKey Of(Snapshot snapshot, SnapshotGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new SnapshotGroupKey(
            grouping.HasFlag(SnapshotGrouping.Host) ? snapshot.Host : null,
            grouping.HasFlag(SnapshotGrouping.Paths) ? [.. snapshot.Paths.Order(StringComparer.Ordinal)] : null,
            grouping.HasFlag(SnapshotGrouping.Tags) ? [.. snapshot.Tags.Order(StringComparer.Ordinal)] : null);
    }

    /// <summary>Groups snapshots; groups in the order of their newest snapshot's host, paths and tags.</summary>
    public static IReadOnlyList<(SnapshotGroupKey Key, List<Snapshot> Snapshots)> Group(IEnumerable<Snapshot> snapshots, SnapshotGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var groups = new Dictionary<string, (SnapshotGroupKey Key, List<Snapshot> Snapshots)>(StringComparer.Ordinal);
        foreach (var s in snapshots)
        {
            var key = Of(s, grouping);
            var text = key.ToString();
            if (!groups.TryGetValue(text, out var group))
                groups[text] = group = (key, []);
            group.Snapshots.Add(s);
        }
        return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value)];
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Host is not null)
            parts.Add($"host {Host}");
        if (Paths is not null)
            parts.Add($"paths {string.Join(", ", Paths)}");
        if (Tags is not null)
            parts.Add(Tags.Count == 0 ? "no tags" : $"tags {string.Join(", ", Tags)}");
        return parts.Count == 0 ? "all snapshots" : string.Join("; ", parts);
    }
}
