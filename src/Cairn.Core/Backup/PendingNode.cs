using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// An entry of a directory being saved: its node when the walker could make it at once (an unchanged file, a
/// symlink, a directory walked in place), or the task that will yield it; neither for an entry left out. A value,
/// so that the many entries decided at once cost no task each.
/// </summary>
internal readonly record struct PendingNode(Node? Ready, Task<Node?>? Running)
{
    /// <summary>Whether there is a node to wait for or take.</summary>
    public bool HasNode => Ready is not null || Running is not null;

    /// <summary>The entry's node, or null when it is left out.</summary>
    public ValueTask<Node?> ResultAsync() => Running is null ? new(Ready) : new(Running);
}
