using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

/// <summary>
/// Trees by ID for restore's planner and tree walk; a missing ID loads as a damaged tree, an ID in
/// <see cref="Failing"/> as a lost store. Nothing else is asked of it for files without content.
/// </summary>
internal sealed class TreeLoader : IBlobLoader
{
    public Dictionary<BlobId, IReadOnlyList<Node>> Trees { get; } = [];
    public HashSet<BlobId> Failing { get; } = [];
    public List<BlobId> Loaded { get; } = [];
    /// <summary>Awaited before the tree of its ID is given out: something the test does meanwhile.</summary>
    public Dictionary<BlobId, Func<Task>> Before { get; } = [];

    public MasterIndex Index => throw new NotSupportedException();
    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => throw new NotSupportedException();
    public Task ReadPackBlobsAsync(PackId pack, IReadOnlyList<BlobId> blobs, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<byte[]> LoadBlobAsync(BlobId id, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, CancellationToken ct = default) => throw new NotSupportedException();

    public async Task<IReadOnlyList<Node>> LoadTreeOnceAsync(BlobId id, CancellationToken ct = default)
    {
        lock (Loaded)
            Loaded.Add(id);
        if (Before.TryGetValue(id, out var before))
            await before();
        if (Failing.Contains(id))
            throw new IOException("the store went away");
        return Trees.TryGetValue(id, out var nodes)
            ? nodes
            : throw new RepositoryCorruptException($"tree {id.Digest.Short}", "fails authentication");
    }
}
