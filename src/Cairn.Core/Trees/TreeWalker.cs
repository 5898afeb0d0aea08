using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;

namespace Cairn.Core.Trees;

/// <summary>Visits every node below a tree, depth first in name order, with its path as people see it.</summary>
public static class TreeWalker
{
    /// <summary>Walks <paramref name="tree"/>; paths are <paramref name="basePath"/> + "/" + names.</summary>
    public static async Task WalkAsync(IBlobLoader loader, BlobId tree, string basePath, Func<string, Node, ValueTask> visit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(visit);
        foreach (var node in await loader.LoadTreeAsync(tree, ct).ConfigureAwait(false))
        {
            var path = (basePath == "/" ? "" : basePath) + "/" + PathBytes.Display(node.Name);
            await visit(path, node).ConfigureAwait(false);
            if (node.Subtree is { } subtree)
                await WalkAsync(loader, subtree, path, visit, ct).ConfigureAwait(false);
        }
    }
}
