using System.Text;
using Cairn.Core.Platform;

namespace Cairn.Core.Backup;

/// <summary>Decides which entries a backup skips: patterns, marker files and filesystem boundaries.</summary>
public sealed class ExcludeFilter
{
    private readonly List<PathPattern> _patterns;
    private readonly List<byte[]> _markers;

    /// <summary>Creates a filter.</summary>
    public ExcludeFilter(IEnumerable<string> patterns, IEnumerable<string> excludeIfPresent, bool oneFileSystem)
    {
        _patterns = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => new PathPattern(p)).ToList();
        _markers = excludeIfPresent.Select(Encoding.UTF8.GetBytes).ToList();
        OneFileSystem = oneFileSystem;
    }

    /// <summary>True when the backup must not cross into other filesystems.</summary>
    public bool OneFileSystem { get; }

    /// <summary>Reads patterns from a file: one per line, '#' starts a comment, blank lines ignored.</summary>
    public static IEnumerable<string> ReadPatternFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnException(ErrorKind.InvalidInput, $"cannot read exclude file {path}: {e.Message}");
        }
        return lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
    }

    /// <summary>True when a path matches an exclude pattern.</summary>
    public bool IsExcluded(ReadOnlySpan<byte> absolutePath)
    {
        if (_patterns.Count == 0)
            return false;
        var components = Encoding.UTF8.GetString(absolutePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var p in _patterns)
        {
            if (p.Matches(components))
                return true;
        }
        return false;
    }

    /// <summary>True when a directory holds one of the marker files of <c>--exclude-if-present</c>.</summary>
    public bool HasMarker(IReadOnlyList<byte[]> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var marker in _markers)
        {
            foreach (var name in names)
            {
                if (name.AsSpan().SequenceEqual(marker))
                    return true;
            }
        }
        return false;
    }
}
