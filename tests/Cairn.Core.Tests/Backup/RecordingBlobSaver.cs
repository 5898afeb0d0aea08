using System.Collections.Concurrent;
using Cairn.Core.Buffers;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Core.Repository;
using Cairn.Core.Trees;

namespace Cairn.Core.Tests.Backup;

/// <summary>Keeps every blob in memory, and runs <see cref="BeforeFirstData"/> when the first data blob arrives.</summary>
internal sealed class RecordingBlobSaver(KeyRing keys) : IBlobSaver
{
    private readonly ConcurrentDictionary<BlobId, byte[]> _blobs = new();
    private int _dataBlobs;

    /// <summary>Runs once, as the first data blob is saved: while the archiver is in the middle of a read.</summary>
    public Action? BeforeFirstData { get; init; }

    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => keys.BlobIdOf(type, plaintext);

    /// <summary>The array the last blob came in (returned to the pool since).</summary>
    public byte[]? LastArray { get; private set; }

    public ValueTask<bool> SaveAsync(BlobType type, BlobId id, byte[] rented, int length, CancellationToken ct = default)
    {
        LastArray = rented;
        if (type == BlobType.Data && Interlocked.Increment(ref _dataBlobs) == 1)
            BeforeFirstData?.Invoke();
        var isNew = _blobs.TryAdd(id, rented.AsSpan(0, length).ToArray());
        BufferPool.Shared.Return(rented);
        return ValueTask.FromResult(isNew);
    }

    public bool Has(BlobId id) => _blobs.ContainsKey(id);

    /// <summary>The plaintext of a saved blob.</summary>
    public byte[] Blob(BlobId id) => _blobs[id];

    /// <summary>The node of the entry named <paramref name="name"/> anywhere below a tree.</summary>
    public Node Find(BlobId tree, string name)
    {
        foreach (var node in TreeCodec.Decode(_blobs[tree], "test"))
        {
            if (node.DisplayName == name)
                return node;
            if (node.Subtree is { } subtree && TryFind(subtree, name) is { } found)
                return found;
        }
        throw new KeyNotFoundException(name);
    }

    /// <summary>A file's content, its blobs one after another.</summary>
    public byte[] Content(Node node) => node.Content.SelectMany(id => _blobs[id]).ToArray();

    private Node? TryFind(BlobId tree, string name)
    {
        try
        {
            return Find(tree, name);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
