using Cairn.Core.Buffers;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Trees;
using Repo = Cairn.Core.Repository.Repository;

namespace Cairn.Core.Copy;

/// <summary>
/// Copies snapshot trees from one repository into another. Blob IDs are keyed per repository, so a blob's ID in
/// the target is computed from its plaintext and every tree is written again with the target's IDs; a blob the
/// target already holds is not written. When both repositories share their ID keys (<c>init --copy-chunker-params</c>)
/// the IDs are the same, and a data blob the target holds is not even read.
/// </summary>
public sealed class SnapshotCopier(Repo source, Repo target)
{
    private static readonly byte[] Probe = "cairn id probe"u8.ToArray();
    private readonly Dictionary<BlobId, BlobId> _map = [];
    private readonly bool _sameIds = source.IdOf(BlobType.Data, Probe) == target.IdOf(BlobType.Data, Probe)
        && source.IdOf(BlobType.Tree, Probe) == target.IdOf(BlobType.Tree, Probe);

    /// <summary>True when both repositories name blobs alike, so that deduplication carries over without reading.</summary>
    public bool SameIds => _sameIds;

    /// <summary>Data blobs read from the source.</summary>
    public long BlobsRead { get; private set; }

    /// <summary>Copies the tree and everything below it through <paramref name="writer"/>; returns its ID in the target.</summary>
    public async Task<BlobId> CopyTreeAsync(BlobId tree, BlobWriter writer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_map.TryGetValue(tree, out var known))
            return known;
        var nodes = await source.LoadTreeAsync(tree, ct).ConfigureAwait(false);
        var copied = new List<Node>(nodes.Count);
        foreach (var node in nodes)
        {
            var content = new BlobId[node.Content.Count];
            for (var i = 0; i < content.Length; i++)
                content[i] = await CopyDataAsync(node.Content[i], writer, ct).ConfigureAwait(false);
            BlobId? subtree = node.Subtree is { } s ? await CopyTreeAsync(s, writer, ct).ConfigureAwait(false) : null;
            copied.Add(node.WithBlobs(content, subtree));
        }
        var bytes = TreeCodec.Encode(copied);
        var id = await SaveAsync(BlobType.Tree, bytes, bytes.Length, writer, ct).ConfigureAwait(false);
        _map[tree] = id;
        return id;
    }

    private async Task<BlobId> CopyDataAsync(BlobId blob, BlobWriter writer, CancellationToken ct)
    {
        if (_map.TryGetValue(blob, out var known))
            return known;
        if (_sameIds && writer.Has(blob))
            return _map[blob] = blob;
        var plain = await source.LoadBlobAsync(blob, ct).ConfigureAwait(false);
        BlobsRead++;
        return _map[blob] = await SaveAsync(BlobType.Data, plain, plain.Length, writer, ct).ConfigureAwait(false);
    }

    private async Task<BlobId> SaveAsync(BlobType type, byte[] plain, int length, BlobWriter writer, CancellationToken ct)
    {
        var id = target.IdOf(type, plain.AsSpan(0, length));
        if (!writer.Has(id))
        {
            var rented = BufferPool.Shared.Rent(length);
            plain.AsSpan(0, length).CopyTo(rented);
            await writer.SaveAsync(type, id, rented, length, ct).ConfigureAwait(false);
        }
        return id;
    }
}
