using System.Collections.Concurrent;
using Cairn.Core.Platform;

namespace Cairn.Core.Restore;

/// <summary>
/// Collects the metadata a restore could not apply, by kind and reason, so that the user gets one line per
/// kind with a count and an example instead of a warning per file.
/// </summary>
internal sealed class MetadataDrops
{
    private readonly ConcurrentDictionary<(MetadataKind Kind, string Reason), Tally> _drops = new();

    public void Record(MetadataKind kind, PosixException error, ReadOnlySpan<byte> path)
    {
        var tally = _drops.GetOrAdd((kind, ReasonOf(error)), static (_, example) => new Tally(example), Posix.Display(path));
        Interlocked.Increment(ref tally.Count);
    }

    public IReadOnlyList<DroppedMetadata> ToList() =>
        [.. _drops.OrderBy(d => d.Key.Kind).ThenBy(d => d.Key.Reason, StringComparer.Ordinal)
            .Select(d => new DroppedMetadata(d.Key.Kind, d.Value.Count, d.Key.Reason, d.Value.Example))];

    private static string ReasonOf(PosixException error) => error.Errno switch
    {
        PosixException.EOPNOTSUPP => "the target filesystem does not support them",
        PosixException.EPERM or PosixException.EACCES => "not permitted (restoring as a user other than root?)",
        _ => error.Message,
    };

    private sealed class Tally(string example)
    {
        public long Count;
        public string Example { get; } = example;
    }
}
