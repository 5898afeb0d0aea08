namespace Cairn.Core.Backup;

/// <summary>
/// The backup paths arranged as a tree from '/', so that several paths share their parent directories in the
/// snapshot ("/home/a" and "/etc" become a root tree with "home" and "etc").
/// </summary>
internal sealed class PathTrie
{
    public SortedDictionary<string, PathTrie> Children { get; } = new(StringComparer.Ordinal);

    public bool IsTarget { get; private set; }

    public static PathTrie Build(IEnumerable<string> absolutePaths)
    {
        var root = new PathTrie();
        foreach (var path in absolutePaths)
        {
            var node = root;
            foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node.IsTarget)
                    break; // already inside a target: the target covers it
                if (!node.Children.TryGetValue(part, out var child))
                    node.Children[part] = child = new PathTrie();
                node = child;
            }
            node.IsTarget = true;
            node.Children.Clear();
        }
        return root;
    }
}
