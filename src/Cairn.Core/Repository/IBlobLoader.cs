using Cairn.Core.Format;
using Cairn.Core.Trees;

namespace Cairn.Core.Repository;

/// <summary>Read access to blobs: what restore, ls, diff and the archiver's parent lookup need.</summary>
public interface IBlobLoader
{
    /// <summary>The index of every stored blob.</summary>
    MasterIndex Index { get; }

    /// <summary>The blob ID of a plaintext, for verifying restored data.</summary>
    BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext);

    /// <summary>
    /// Reads the given blobs of one pack with as few ranged reads as sensible, verifying each, and calls
    /// <paramref name="onBlob"/> once for each (however often it is named) with its plaintext, in a pooled buffer
    /// that is only valid during the call; blobs that fail are passed to <paramref name="onFailure"/> instead.
    /// </summary>
    Task ReadPackBlobsAsync(PackId pack, IReadOnlyList<BlobId> blobs, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct = default);

    /// <summary>Loads and verifies one blob's plaintext.</summary>
    Task<byte[]> LoadBlobAsync(BlobId id, CancellationToken ct = default);

    /// <summary>Loads and decodes a tree, keeping it in a cache for walks that come back to it (browsing, ls, find).</summary>
    Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, CancellationToken ct = default);

    /// <summary>
    /// Loads and decodes a tree for a walk that visits each tree once (restore, check, prune, a backup's parent):
    /// a tree not in the cache is not added to it, so that such a walk does not hold the whole snapshot's trees.
    /// </summary>
    Task<IReadOnlyList<Node>> LoadTreeOnceAsync(BlobId id, CancellationToken ct = default);
}
