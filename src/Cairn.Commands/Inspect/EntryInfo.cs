using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Commands.Inspect;

/// <summary>One entry of a snapshot as <c>ls</c>, <c>find</c> and <c>diff</c> report it.</summary>
public sealed record EntryInfo(string Path, string Type, uint Mode, uint Uid, uint Gid, string? User, string? Group,
    long Size, DateTimeOffset Mtime, string? LinkTarget, string? Snapshot = null)
{
    /// <summary>Converts a node found at <paramref name="path"/>.</summary>
    public static EntryInfo From(string path, Node node, string? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new EntryInfo(path, node.Kind.ToString().ToLowerInvariant(), node.Mode, node.Uid, node.Gid, node.User, node.Group,
            node.Size, node.Mtime.ToDateTimeOffset(), node.LinkTarget is null ? null : PathBytes.Display(node.LinkTarget), snapshot);
    }
}
