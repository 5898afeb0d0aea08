using Cairn.Core.Buffers;
using Cairn.Core.Format;
using Cairn.Core.Trees;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>Reading blobs, trees and pack headers: single blobs, runs of neighbouring blobs in one request, decoded trees through a cache.</summary>
public sealed partial class Repository
{
    // Decoded tree entries kept for walks that come back (~50 MB at most): a whole snapshot of 100,000 files fits,
    // so that find across snapshots loads the trees they share once.
    private const int TreeCacheNodes = 128 * 1024;
    // Blobs that lie close together in a pack are read in one request of at most this many bytes (a larger blob
    // alone): big enough to amortise a request, small enough that parallel readers hold little memory.
    private const int MaxReadRun = 4 * 1024 * 1024;
    private readonly TreeCache _trees = new(TreeCacheNodes);

    /// <inheritdoc/>
    public async Task<byte[]> LoadBlobAsync(BlobId id, CancellationToken ct = default)
    {
        if (!Index.TryGet(id, out var entry))
            throw new RepositoryCorruptException($"blob {id.Digest.Short}", "is referenced but not in any index (missing data)");
        var pack = Index.PackOf(entry);
        var name = PackName(pack);
        var sealedBytes = new byte[entry.StoredLength];
        try
        {
            await Storage.ReadExactlyAsync(name, entry.Offset, sealedBytes, ct).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
        {
            throw new RepositoryCorruptException(name.ToString(), $"cannot read blob {id.Digest.Short}: {e.Message}", e);
        }
        return BlobCodec.Open(Keys, new PackEntry(id, entry.Type, entry.Compression, entry.Offset, entry.StoredLength, entry.RawLength), sealedBytes, name.ToString());
    }

    /// <inheritdoc/>
    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => Keys.BlobIdOf(type, plaintext);

    /// <inheritdoc/>
    public async Task ReadPackBlobsAsync(PackId pack, IReadOnlyList<BlobId> blobs, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(onBlob);
        ArgumentNullException.ThrowIfNull(onFailure);
        var name = PackName(pack);
        var located = new List<(BlobId Id, IndexEntry Entry)>(blobs.Count);
        var named = new HashSet<BlobId>(blobs.Count);
        foreach (var id in blobs)
        {
            if (!named.Add(id))
                continue;
            if (Index.TryGet(id, out var e))
                located.Add((id, e));
            else
                onFailure(id, new RepositoryCorruptException($"blob {id.Digest.Short}", "is not in any index"));
        }
        located.Sort(static (a, b) => a.Entry.Offset.CompareTo(b.Entry.Offset));
        // Read runs of blobs that lie close together in one request: gaps under 1 MiB are cheaper to read than to skip.
        var i = 0;
        while (i < located.Count)
        {
            var j = i + 1;
            long end = located[i].Entry.Offset + located[i].Entry.StoredLength;
            while (j < located.Count && located[j].Entry.Offset - end < 1024 * 1024 && located[j].Entry.Offset + located[j].Entry.StoredLength - located[i].Entry.Offset <= MaxReadRun)
            {
                end = Math.Max(end, located[j].Entry.Offset + located[j].Entry.StoredLength);
                j++;
            }
            long start = located[i].Entry.Offset;
            var length = (int)(end - start);
            var run = BufferPool.Shared.Rent(length);
            try
            {
                StorageException? failed = null;
                try
                {
                    await Storage.ReadExactlyAsync(name, start, run.AsMemory(0, length), ct).ConfigureAwait(false);
                }
                catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
                {
                    failed = e;
                }
                long opened = start; // blobs are opened in place: one that overlaps the last opened (a damaged index) is read on its own
                for (var k = i; k < j; k++)
                {
                    var (id, entry) = located[k];
                    if (failed is null && entry.Offset >= opened)
                    {
                        await OpenAndDeliverAsync(name, id, entry, run.AsMemory((int)(entry.Offset - start), (int)entry.StoredLength), onBlob, onFailure).ConfigureAwait(false);
                        opened = entry.Offset + entry.StoredLength;
                    }
                    else if (failed is null)
                        await ReadOneAsync(name, id, entry, onBlob, onFailure, ct).ConfigureAwait(false);
                    else if (failed.Kind == StorageErrorKind.NotFound || j - i == 1)
                        onFailure(id, new RepositoryCorruptException(name.ToString(), failed.Message, failed));
                    else
                        await ReadOneAsync(name, id, entry, onBlob, onFailure, ct).ConfigureAwait(false); // a damaged spot (a truncated end, a bad sector) fails only the blobs it touches
                }
            }
            finally
            {
                BufferPool.Shared.Return(run);
            }
            i = j;
        }
    }

    /// <summary>Reads one blob of a pack by itself, after the run it was in could not be read whole.</summary>
    private async Task ReadOneAsync(ObjectName name, BlobId id, IndexEntry entry, Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob,
        Action<BlobId, Exception> onFailure, CancellationToken ct)
    {
        var stored = BufferPool.Shared.Rent((int)entry.StoredLength);
        try
        {
            await Storage.ReadExactlyAsync(name, entry.Offset, stored.AsMemory(0, (int)entry.StoredLength), ct).ConfigureAwait(false);
            await OpenAndDeliverAsync(name, id, entry, stored.AsMemory(0, (int)entry.StoredLength), onBlob, onFailure).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.Permanent)
        {
            onFailure(id, new RepositoryCorruptException(name.ToString(), e.Message, e));
        }
        finally
        {
            BufferPool.Shared.Return(stored);
        }
    }

    /// <summary>
    /// Opens one sealed blob where it lies in <paramref name="sealedBytes"/> (its body is decrypted in place) and hands
    /// its plaintext to <paramref name="onBlob"/>; one that fails to open, to <paramref name="onFailure"/>.
    /// </summary>
    private async Task OpenAndDeliverAsync(ObjectName name, BlobId id, IndexEntry entry, Memory<byte> sealedBytes,
        Func<BlobId, ReadOnlyMemory<byte>, ValueTask> onBlob, Action<BlobId, Exception> onFailure)
    {
        Memory<byte> plain;
        byte[]? rented;
        try
        {
            plain = BlobCodec.OpenInPlace(Keys, new PackEntry(id, entry.Type, entry.Compression, entry.Offset, entry.StoredLength, entry.RawLength),
                sealedBytes, name.ToString(), out rented);
        }
        catch (RepositoryCorruptException e)
        {
            onFailure(id, e);
            return;
        }
        try
        {
            await onBlob(id, plain).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
                BufferPool.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, CancellationToken ct = default) => LoadTreeAsync(id, cache: true, ct);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Node>> LoadTreeOnceAsync(BlobId id, CancellationToken ct = default) => LoadTreeAsync(id, cache: false, ct);

    private async Task<IReadOnlyList<Node>> LoadTreeAsync(BlobId id, bool cache, CancellationToken ct)
    {
        if (_trees.TryGet(id, out var cached))
            return cached;
        var bytes = await LoadBlobAsync(id, ct).ConfigureAwait(false);
        var nodes = TreeCodec.Decode(bytes, $"tree {id.Digest.Short}");
        if (cache)
            _trees.Add(id, nodes);
        return nodes;
    }

    /// <summary>Reads a pack's header: the blobs it holds.</summary>
    public async Task<List<PackEntry>> ReadPackHeaderAsync(PackId pack, long packLength, CancellationToken ct = default)
    {
        var name = PackName(pack);
        var trailer = new byte[PackFormat.TrailerLength];
        if (packLength < PackFormat.TrailerLength)
            throw new RepositoryCorruptException(name.ToString(), "pack is truncated");
        await Storage.ReadExactlyAsync(name, packLength - PackFormat.TrailerLength, trailer, ct).ConfigureAwait(false);
        var (offset, length) = PackFormat.ParseTrailer(trailer, packLength, name.ToString());
        var header = new byte[length];
        await Storage.ReadExactlyAsync(name, offset, header, ct).ConfigureAwait(false);
        return PackFormat.DecodeHeader(Keys, header, offset, name.ToString());
    }
}
