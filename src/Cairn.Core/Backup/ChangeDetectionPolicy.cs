using System.Text;

namespace Cairn.Core.Backup;

/// <summary>
/// Decides, per path, how changes are detected: the run's switches (<c>--ignore-ctime</c>, <c>--ignore-inode</c>,
/// <c>--rehash</c>) hold everywhere; below them, the last rule whose pattern matches the path or one of its
/// parent directories decides each key it sets.
/// </summary>
public sealed class ChangeDetectionPolicy
{
    private readonly ChangeDetection _everywhere;
    private readonly List<(PathPattern Pattern, ChangeDetectionRule Rule)> _rules;

    /// <summary>Creates the policy of a run.</summary>
    public ChangeDetectionPolicy(ChangeDetection everywhere, IEnumerable<ChangeDetectionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _everywhere = everywhere;
        _rules = rules.Select(r => (new PathPattern(r.Pattern), r)).ToList();
    }

    /// <summary>How the entry at an absolute path is compared with its parent snapshot.</summary>
    public ChangeDetection For(ReadOnlySpan<byte> absolutePath)
    {
        if (_rules.Count == 0)
            return _everywhere;
        var components = Encoding.UTF8.GetString(absolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool? ignoreCtime = null, ignoreInode = null, rehash = null;
        foreach (var (pattern, rule) in _rules)
        {
            if (!MatchesPathOrParent(pattern, components))
                continue;
            ignoreCtime = rule.IgnoreCtime ?? ignoreCtime;
            ignoreInode = rule.IgnoreInode ?? ignoreInode;
            rehash = rule.Rehash ?? rehash;
        }
        return new ChangeDetection(
            _everywhere.IgnoreCtime || ignoreCtime == true,
            _everywhere.IgnoreInode || ignoreInode == true,
            _everywhere.Rehash || rehash == true);
    }

    private static bool MatchesPathOrParent(PathPattern pattern, string[] components)
    {
        for (var length = components.Length; length > 0; length--)
        {
            if (pattern.Matches(new ArraySegment<string>(components, 0, length)))
                return true;
        }
        return false;
    }
}
