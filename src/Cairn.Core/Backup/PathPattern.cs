using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Core.Backup;

/// <summary>
/// One include or exclude pattern, matched against absolute paths component by component (restic's rules):
/// <c>*</c> and <c>?</c> and <c>[…]</c> stay within a component, <c>**</c> spans any number of components;
/// a pattern starting with '/' must match the whole path, any other pattern matches the path's last components.
/// </summary>
public sealed class PathPattern
{
    private readonly Regex?[] _components; // null stands for **
    private readonly bool _anchored;

    /// <summary>Parses a pattern.</summary>
    public PathPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Text = pattern;
        var trimmed = pattern.TrimEnd('/');
        _anchored = trimmed.StartsWith('/');
        var parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new CairnException(ErrorKind.InvalidInput, $"invalid pattern '{pattern}'");
        _components = parts.Select(p => p == "**" ? null : ComponentRegex(p, pattern)).ToArray();
    }

    /// <summary>The pattern as given.</summary>
    public string Text { get; }

    /// <summary>True when the absolute path (split into components) matches.</summary>
    public bool Matches(IReadOnlyList<string> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (_anchored)
            return Match(0, components, 0);
        for (var start = 0; start < components.Count; start++)
        {
            if (Match(0, components, start))
                return true;
        }
        return false;
    }

    private bool Match(int p, IReadOnlyList<string> path, int i)
    {
        while (p < _components.Length)
        {
            var c = _components[p];
            if (c is null)
            {
                for (var skip = i; skip <= path.Count; skip++)
                {
                    if (Match(p + 1, path, skip))
                        return true;
                }
                return false;
            }
            if (i >= path.Count || !c.IsMatch(path[i]))
                return false;
            p++;
            i++;
        }
        return i == path.Count;
    }

    private static Regex ComponentRegex(string component, string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < component.Length; i++)
        {
            var ch = component[i];
            switch (ch)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    var close = component.IndexOf(']', i + 1);
                    if (close < 0)
                        throw new CairnException(ErrorKind.InvalidInput, $"invalid pattern '{pattern}': unclosed '['");
                    var set = component[(i + 1)..close];
                    if (set.Length == 0 || set == "!")
                        throw new CairnException(ErrorKind.InvalidInput, $"invalid pattern '{pattern}': empty character class");
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < component.Length:
                    sb.Append(Regex.Escape(component[++i].ToString()));
                    break;
                default: sb.Append(Regex.Escape(ch.ToString())); break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
