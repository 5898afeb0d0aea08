using System.Text;
using System.Text.Json;
using Cairn.Core;
using Cairn.Core.Repository;
using Cairn.Core.Trees;
using Cairn.Storage;

namespace Cairn.Commands.Inspect;

/// <summary><c>cairn cat config|snapshot|tree|blob|key|pack ID</c>: raw objects for debugging.</summary>
public static class CatHandler
{
    /// <summary>Returns the object's bytes: JSON for structured objects, plaintext for blobs.</summary>
    public static async Task<byte[]> RunAsync(Repository repository, string what, string? id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        switch (what)
        {
            case "config":
                return JsonSerializer.SerializeToUtf8Bytes(repository.Config, CatJsonContext.Default.RepositoryConfig);
            case "snapshot":
                var snapshot = await SnapshotSelector.ResolveAsync(repository, Require(id), null, ct).ConfigureAwait(false);
                return JsonSerializer.SerializeToUtf8Bytes(SnapshotInfo.From(snapshot), CatJsonContext.Default.SnapshotInfo);
            case "tree":
            {
                // A shared lock while blobs are read, so that a prune running meanwhile waits before deleting packs.
                await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
                await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
                var nodes = await repository.LoadTreeAsync(SnapshotSelector.ParseBlobId(Require(id)), ct).ConfigureAwait(false);
                return JsonSerializer.SerializeToUtf8Bytes(nodes.Select(n => new CatTreeNode(n.DisplayName, n.Kind.ToString().ToLowerInvariant(),
                    Convert.ToString(n.Mode, 8), n.Uid, n.Gid, n.User, n.Group, n.Size, n.Mtime.ToDateTimeOffset(),
                    n.Content.Select(c => c.ToString()).ToList(), n.Subtree?.ToString())).ToList(), CatJsonContext.Default.ListCatTreeNode);
            }
            case "blob":
            {
                await using var readLock = await repository.LockAsync(exclusive: false, "read", ct).ConfigureAwait(false);
                await repository.LoadIndexAsync(null, ct).ConfigureAwait(false);
                return await repository.LoadBlobAsync(SnapshotSelector.ParseBlobId(Require(id)), ct).ConfigureAwait(false);
            }
            case "key":
                return await repository.Storage.ReadAllAsync(new ObjectName(ObjectKind.Key, Require(id)), ct).ConfigureAwait(false);
            case "pack":
                var name = new ObjectName(ObjectKind.Pack, Require(id));
                var stat = await repository.Storage.StatAsync(name, ct).ConfigureAwait(false)
                    ?? throw new CairnException(ErrorKind.InvalidInput, $"no pack {id}");
                var entries = await repository.ReadPackHeaderAsync(new Core.Format.PackId(Core.Format.Digest.Parse(Require(id))), stat.Length, ct).ConfigureAwait(false);
                return JsonSerializer.SerializeToUtf8Bytes(entries.Select(e => new CatPackEntry(e.Id.ToString(), e.Type.ToString().ToLowerInvariant(),
                    e.Compression.ToString().ToLowerInvariant(), e.Offset, e.StoredLength, e.RawLength)).ToList(), CatJsonContext.Default.ListCatPackEntry);
            default:
                throw new CairnException(ErrorKind.Usage, $"cannot cat '{what}'", "use one of: config, snapshot, tree, blob, key, pack");
        }
    }

    private static string Require(string? id) =>
        id ?? throw new CairnException(ErrorKind.Usage, "an ID is required");
}
