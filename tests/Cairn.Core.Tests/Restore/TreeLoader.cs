using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Restore;

/// <summary>
/// Trees by ID for restore's planner and tree walk; a missing ID loads as a damaged tree, an ID in
/// <see cref="Failing"/> as a lost store. Content blobs added with <see cref="AddBlob"/> lie in one pack, handed
/// over in the order they were added.
/// </summary>
internal sealed class TreeLoader : IBlobLoader
{
    private static readonly PackId OnlyPack = new(Digest.OfContent("the only pack"u8));
    private readonly List<(BlobId Id, byte[] Data)> _blobs = [];
    private readonly MasterIndex _index = new();
    private uint _end;

    /// <summary>Awaited before the blob of its ID is handed over: something the test does meanwhile.</summary>
    public Dictionary<BlobId, Func<Task>> BeforeBlob { get; } = [];

    /// <summary>Adds a content blob; returns its ID.</summary>
    public BlobId AddBlob(byte[] data)
    {
        var id = new BlobId(Digest.OfContent(data));
        var offset = _end;
        _end += (uint)data.Length;
        _blobs.Add((id, data));
        _index.AddPack(OnlyPack, [new PackEntry(id, BlobType.Data, CompressionKind.None, offset, (uint)data.Length, (uint)data.Length)]);
        return id;
    }

    /// <summary>How many blobs each <see cref="ReadPackBlobsAsync"/> asked for.</summary>
    public List<int> Reads { get; } = [];

    public Dictionary<BlobId, IReadOnlyList<Node>> Trees { get; } = [];
    public HashSet<BlobId> Failing { get; } = [];
    public List<BlobId> Loaded { get; } = [];
    /// <summary>Awaited before the tree of its ID is given out: something the test does meanwhile.</summary>
    public Dictionary<BlobId, Func<Task>> Before { get; } = [];

    public MasterIndex Index => _index;
    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => new(Digest.OfContent(plaintext));

    public async Task ReadPackBlobsAsync(PackId pack, IReadOnlyList<BlobId> blobs, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct = default)
    {
        lock (Reads)
            Reads.Add(blobs.Count);
        var wanted = blobs.ToHashSet();
        foreach (var (id, data) in _blobs.Where(b => wanted.Contains(b.Id)))
        {
            ct.ThrowIfCancellationRequested();
            if (BeforeBlob.TryGetValue(id, out var before))
                await before();
            await onBlob(id, data);
        }
    }

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
