using Cairn.Core;
using Cairn.Core.Format;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;
using Cairn.Core.Platform;
using Cairn.Core.Repository;

namespace Cairn.Commands;

/// <summary>Finds snapshots by unique ID prefix or <c>latest</c>, and paths inside them.</summary>
public static class SnapshotSelector
{
    /// <summary>Splits <c>SNAPSHOT[:PATH]</c>.</summary>
    public static (string Snapshot, string Path) SplitPath(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (text, "/") : (text[..colon], text[(colon + 1)..] is { Length: > 0 } p ? p : "/");
    }

    /// <summary>Resolves an ID, a unique prefix of one, or <c>latest</c> (optionally of one host).</summary>
    public static async Task<Snapshot> ResolveAsync(Repository repository, string text, string? host = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text == "latest")
        {
            var all = await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false);
            return all.LastOrDefault(s => host is null || s.Host == host)
                ?? throw new CairnException(ErrorKind.InvalidInput, host is null ? "the repository has no snapshots" : $"no snapshot of host {host}");
        }
        var ids = await repository.ListSnapshotIdsAsync(ct).ConfigureAwait(false);
        var matches = ids.Where(id => id.ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            0 => throw new CairnException(ErrorKind.InvalidInput, $"no snapshot with ID {text}", "list them with 'cairn snapshots'"),
            1 => await repository.LoadSnapshotAsync(matches[0], ct).ConfigureAwait(false),
            _ => throw new CairnException(ErrorKind.InvalidInput, $"snapshot ID prefix {text} is ambiguous ({matches.Count} snapshots)", "give more characters"),
        };
    }

    /// <summary>The root of a snapshot as a directory node.</summary>
    public static Node RootNode(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Node { Name = "/"u8.ToArray(), Kind = FileKind.Directory, Mode = 0x1ED, Subtree = snapshot.Tree, Mtime = PosixTime.FromDateTimeOffset(snapshot.Time), Atime = PosixTime.FromDateTimeOffset(snapshot.Time) };
    }

    /// <summary>Finds the node at an absolute path inside a snapshot.</summary>
    public static async Task<Node> FindNodeAsync(IBlobLoader loader, Snapshot snapshot, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        var node = RootNode(snapshot);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.Subtree is not { } subtree)
                throw new CairnException(ErrorKind.InvalidInput, $"{path} not found in snapshot {snapshot.Id.Short}");
            var children = await loader.LoadTreeAsync(subtree, ct).ConfigureAwait(false);
            var wanted = PathBytes.FromString(part);
            node = children.FirstOrDefault(c => c.Name.AsSpan().SequenceEqual(wanted))
                ?? throw new CairnException(ErrorKind.InvalidInput, $"{path} not found in snapshot {snapshot.Id.Short}");
        }
        return node;
    }

    /// <summary>Parses a full 64-character ID.</summary>
    public static BlobId ParseBlobId(string text) =>
        Digest.TryParse(text, out var d) ? new BlobId(d) : throw new CairnException(ErrorKind.InvalidInput, $"'{text}' is not a 64-character ID");
}
