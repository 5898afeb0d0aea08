using Cairn.Core.Buffers;
using System.Collections.Concurrent;
using Cairn.Core.Format;
using Cairn.Core.Repository;

namespace Cairn.Commands.Backup;

/// <summary>A saver that stores nothing and counts what a real backup would add.</summary>
internal sealed class DryRunSaver(Repository repository) : IBlobSaver
{
    private readonly ConcurrentDictionary<BlobId, byte> _seen = new();
    private long _blobs, _bytes;

    public long BlobsAdded => Interlocked.Read(ref _blobs);

    public long BytesAdded => Interlocked.Read(ref _bytes);

    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => repository.Keys.BlobIdOf(type, plaintext);

    public bool Has(BlobId id) => repository.Index.Contains(id) || _seen.ContainsKey(id);

    public ValueTask<bool> SaveAsync(BlobType type, BlobId id, byte[] rented, int length, CancellationToken ct = default)
    {
        BufferPool.Shared.Return(rented);
        if (repository.Index.Contains(id) || !_seen.TryAdd(id, 0))
            return ValueTask.FromResult(false);
        Interlocked.Increment(ref _blobs);
        Interlocked.Add(ref _bytes, length);
        return ValueTask.FromResult(true);
    }
}
