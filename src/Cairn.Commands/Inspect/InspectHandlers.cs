using System.Text;
using Cairn.Core;
using Cairn.Core.Backup;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

using Cairn.Commands.Holds;

namespace Cairn.Commands.Inspect;

/// <summary>The read-only commands that look into snapshots: snapshots, ls, find, diff.</summary>
public static class InspectHandlers
{
    /// <summary><c>cairn snapshots</c>: every snapshot, oldest first, optionally of one host or with one tag.</summary>
    public static async Task<List<SnapshotInfo>> SnapshotsAsync(Repository repository, string? host, string? tag, Action<string, string> onDamaged, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var all = await repository.LoadSnapshotsAsync((id, e) => onDamaged($"snapshots/{id}", e.Message), ct).ConfigureAwait(false);
        var holds = await HoldHandlers.ActiveAsync(repository, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        return all.Where(s => (host is null || s.Host == host) && (tag is null || s.Tags.Contains(tag)))
            .Select(s => SnapshotInfo.From(s, holds.GetValueOrDefault(s.Id))).ToList();
    }

    /// <summary><c>cairn ls SNAPSHOT [PATH]</c>: the entries below a path, recursively.</summary>
    public static async Task<List<EntryInfo>> LsAsync(Repository repository, string snapshotText, string path, bool recursive, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
        await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var snapshot = await SnapshotSelector.ResolveAsync(repository, snapshotText, null, ct).ConfigureAwait(false);
        var node = await SnapshotSelector.FindNodeAsync(repository, snapshot, path, ct).ConfigureAwait(false);
        var result = new List<EntryInfo>();
        // Names of one hard-link group (a file with several links, same device and inode) point to the first listed.
        var firstNames = new Dictionary<(ulong, ulong), string>();
        void Add(string entryPath, Node n)
        {
            string? linkTo = null;
            if (n.Kind == Core.Platform.FileKind.File && n.Links > 1 && !firstNames.TryGetValue((n.Device, n.Inode), out linkTo))
                firstNames[(n.Device, n.Inode)] = entryPath;
            result.Add(EntryInfo.From(entryPath, n) with { HardLinkTo = linkTo });
        }
        var basePath = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (node.Subtree is not { } subtree)
        {
            Add(basePath, node);
            return result;
        }
        if (recursive)
        {
            await TreeWalker.WalkAsync(repository, subtree, basePath, (p, n) =>
            {
                Add(p, n);
                return ValueTask.CompletedTask;
            }, ct).ConfigureAwait(false);
        }
        else
        {
            foreach (var child in await repository.LoadTreeAsync(subtree, ct).ConfigureAwait(false))
                Add((basePath == "/" ? "" : basePath) + "/" + child.DisplayName, child);
        }
        return result;
    }

    /// <summary><c>cairn find PATTERN</c>: entries whose path matches, in every snapshot.</summary>
    public static async Task<List<EntryInfo>> FindAsync(Repository repository, string pattern, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var matcher = new PathPattern(pattern);
        // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
        await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var result = new List<EntryInfo>();
        foreach (var snapshot in await repository.LoadSnapshotsAsync(null, ct).ConfigureAwait(false))
        {
            await TreeWalker.WalkAsync(repository, snapshot.Tree, "/", (p, n) =>
            {
                if (matcher.Matches(p.Split('/', StringSplitOptions.RemoveEmptyEntries)))
                    result.Add(EntryInfo.From(p, n, snapshot.Id.Short));
                return ValueTask.CompletedTask;
            }, ct).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary><c>cairn diff A B</c>: what was added (+), removed (-), changed in content (M) or only in metadata (U).</summary>
    public static async Task<List<DiffEntry>> DiffAsync(Repository repository, string first, string second, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
        await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
        await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
        var a = await SnapshotSelector.ResolveAsync(repository, first, null, ct).ConfigureAwait(false);
        var b = await SnapshotSelector.ResolveAsync(repository, second, null, ct).ConfigureAwait(false);
        var result = new List<DiffEntry>();
        await DiffTreesAsync(repository, a.Tree, b.Tree, "", result, ct).ConfigureAwait(false);
        return result;
    }

    private static async Task DiffTreesAsync(Repository repository, BlobId? left, BlobId? right, string path, List<DiffEntry> result, CancellationToken ct)
    {
        if (left == right)
            return;
        var l = left is { } li ? await repository.LoadTreeAsync(li, ct).ConfigureAwait(false) : [];
        var r = right is { } ri ? await repository.LoadTreeAsync(ri, ct).ConfigureAwait(false) : [];
        var leftByName = l.ToDictionary(n => Encoding.Latin1.GetString(n.Name));
        var rightByName = r.ToDictionary(n => Encoding.Latin1.GetString(n.Name));
        foreach (var name in leftByName.Keys.Union(rightByName.Keys).Order(StringComparer.Ordinal))
        {
            leftByName.TryGetValue(name, out var ln);
            rightByName.TryGetValue(name, out var rn);
            var childPath = path + "/" + (ln ?? rn)!.DisplayName;
            if (ln is null)
                result.Add(new DiffEntry("+", childPath + (rn!.Subtree is null ? "" : "/")));
            else if (rn is null)
                result.Add(new DiffEntry("-", childPath + (ln.Subtree is null ? "" : "/")));
            else if (ln.Kind != rn.Kind)
                result.Add(new DiffEntry("T", childPath));
            else if (!ln.Content.SequenceEqual(rn.Content) || !(ln.LinkTarget ?? []).SequenceEqual(rn.LinkTarget ?? []))
                result.Add(new DiffEntry("M", childPath));
            else if (ln.Subtree is null && (ln.Mode != rn.Mode || ln.Uid != rn.Uid || ln.Gid != rn.Gid || ln.Mtime != rn.Mtime))
                result.Add(new DiffEntry("U", childPath));
            if ((ln?.Subtree is not null || rn?.Subtree is not null) && ln?.Kind == rn?.Kind)
                await DiffTreesAsync(repository, ln?.Subtree, rn?.Subtree, childPath, result, ct).ConfigureAwait(false);
            else if (ln?.Subtree is not null && rn is null)
                await DiffTreesAsync(repository, ln.Subtree, null, childPath, result, ct).ConfigureAwait(false);
            else if (rn?.Subtree is not null && ln is null)
                await DiffTreesAsync(repository, null, rn.Subtree, childPath, result, ct).ConfigureAwait(false);
        }
    }
}
