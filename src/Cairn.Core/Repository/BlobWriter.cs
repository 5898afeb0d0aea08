using Cairn.Core.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Cairn.Core.Compression;
using Cairn.Core.Crypto;
using Cairn.Core.Format;
using Cairn.Storage;

namespace Cairn.Core.Repository;

/// <summary>
/// Turns blobs into packs: deduplicates against the index and this session, compresses and seals blobs on a
/// pool of workers, gathers them into packs (data and trees apart, so tree packs stay small and cacheable),
/// uploads full packs and writes index files. Order on the store: a pack before any index that names it; the
/// caller writes the snapshot only after <see cref="FlushAsync"/>.
/// </summary>
public sealed class BlobWriter : IBlobSaver, IAsyncDisposable
{
    // Tree packs are read whole by walks and kept in caches, so they are kept small.
    private const int TreePackSize = 4 * 1024 * 1024;
    // Blobs wait for a worker two at a time (one a worker), or more while all that wait hold at most this: a first
    // backup's small files then took 3.15 s instead of 3.29 s, and less CPU (bench/README.md).
    private const int SmallJobsBytes = 1024 * 1024;
    /// <summary>
    /// Blobs in one pack, at most. The open pack's entries and the map of blobs not yet uploaded grow with its blobs,
    /// and a pack of one-line files held ~150,000: a backup of 1,000,000 of them peaked at 187-198 MiB, with packs of
    /// at most 16,384 blobs (~1.6 MB of such files) at 142-145 MiB, in the same time (65,536: 157-168 MiB). Packs of
    /// blobs over ~1 KiB reach the pack size first.
    /// </summary>
    public const int MaxPackBlobs = 16_384;

    private readonly Repository _repository;
    private readonly CompressionSetting _compression;
    private readonly bool _verifyDedup;
    private readonly bool _dedupAgainstIndex;
    private readonly Channel<Job> _jobs;
    private readonly JobQueueRoom _room;
    private readonly Task[] _workers;
    private readonly Channel<OpenPack> _uploads;
    private readonly Task[] _uploaders;
    /// <summary>
    /// Blobs queued or in an open pack, not yet in an uploaded one: a later save of the same blob is skipped. Each has
    /// a completion to wait for only where <c>--verify-dedup</c> compares a duplicate with the stored blob (a pack of
    /// small files may hold hundreds of thousands of blobs, and a completion costs 88 bytes).
    /// </summary>
    private readonly ConcurrentDictionary<BlobId, TaskCompletionSource?> _pending = new();
    private readonly Lock _packLock = new();
    private readonly OpenPack?[] _open = new OpenPack?[3];
    private readonly List<(PackId Pack, IReadOnlyList<PackEntry> Entries)> _unindexed = [];
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private readonly CancellationTokenSource _failure;
    private Exception? _workerFailure;
    private long _blobsAdded, _bytesAdded, _bytesStored, _packsWritten;

    /// <summary>
    /// Starts the workers. With <paramref name="dedupAgainstIndex"/> false (prune's repack) a blob the index already
    /// names is written again; blobs saved twice in this session are still written once.
    /// </summary>
    public BlobWriter(Repository repository, CompressionSetting compression, int workers, bool verifyDedup, CancellationToken ct, bool dedupAgainstIndex = true)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _compression = compression;
        _verifyDedup = verifyDedup;
        _dedupAgainstIndex = dedupAgainstIndex;
        _failure = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        _room = new JobQueueRoom(Math.Max(2, workers), SmallJobsBytes);
        _workers = new Task[Math.Max(1, workers)];
        for (var i = 0; i < _workers.Length; i++)
            _workers[i] = Task.Run(() => WorkAsync(_failure.Token), CancellationToken.None);
        // Full packs go to uploaders of their own, so that a write or fsync does not stall compression. On a
        // local disk one pack waiting and one being written keep the disk busy (a second uploader measured no
        // faster and held another pack in memory); a remote store gets as many uploads as it takes at once.
        // Each uploader is a thread of its own, outside the thread pool: a local store's commit blocks in fsync
        // (5-15 ms a pack), and on two cores the pool runs compression and file reads on two or three threads, so a
        // pool thread blocked there left a core idle (a first backup of 2 GiB took 0.2 s longer, bench/README.md).
        _uploads = Channel.CreateBounded<OpenPack>(new BoundedChannelOptions(1) { SingleReader = false, SingleWriter = false });
        _uploaders = new Task[Math.Max(1, repository.Storage.ParallelWrites)];
        for (var i = 0; i < _uploaders.Length; i++)
            _uploaders[i] = Task.Factory.StartNew(() => UploadLoop(_failure.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>What was added so far.</summary>
    public BlobWriterStatistics Statistics => new(
        Interlocked.Read(ref _blobsAdded), Interlocked.Read(ref _bytesAdded),
        Interlocked.Read(ref _bytesStored), Interlocked.Read(ref _packsWritten));

    /// <inheritdoc/>
    public BlobId IdOf(BlobType type, ReadOnlySpan<byte> plaintext) => _repository.Keys.BlobIdOf(type, plaintext);

    /// <inheritdoc/>
    public bool Has(BlobId id) => (_dedupAgainstIndex && _repository.Index.Contains(id)) || _pending.ContainsKey(id);

    /// <inheritdoc/>
    public async ValueTask<bool> SaveAsync(BlobType type, BlobId id, byte[] rented, int length, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rented);
        var owned = true;
        try
        {
            if (_dedupAgainstIndex && _repository.Index.Contains(id))
            {
                if (_verifyDedup)
                    await VerifySameAsync(id, rented.AsMemory(0, length), ct).ConfigureAwait(false);
                return false;
            }
            TaskCompletionSource? mine = null;
            if (_verifyDedup)
            {
                mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_pending.GetOrAdd(id, mine) is { } existing && existing != mine)
                {
                    await existing.Task.WaitAsync(_failure.Token).WaitAsync(ct).ConfigureAwait(false);
                    await VerifySameAsync(id, rented.AsMemory(0, length), ct).ConfigureAwait(false);
                    return false;
                }
            }
            else if (!_pending.TryAdd(id, null))
                return false;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _failure.Token);
            try
            {
                await _room.EnterAsync(length, linked.Token).ConfigureAwait(false);
                if (!_jobs.Writer.TryWrite(new Job(type, id, rented, length)))
                {
                    _room.Leave(length);
                    throw new ChannelClosedException();
                }
            }
            catch
            {
                // Not queued: the blob is not pending (a later save of it must not be skipped), and whoever waits for
                // it stops waiting; the buffer is still ours to return.
                _pending.TryRemove(new KeyValuePair<BlobId, TaskCompletionSource?>(id, mine));
                mine?.TrySetCanceled(CancellationToken.None);
                throw;
            }
            owned = false;
            return true;
        }
        catch (OperationCanceledException) when (_failure.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await ThrowWorkerFailureAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (owned)
                BufferPool.Shared.Return(rented);
        }
    }

    /// <summary>Closes open packs, waits for every upload and writes the remaining index entries.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        try
        {
            await FlushPacksAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_workerFailure is { } failure && !ct.IsCancellationRequested)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private async Task FlushPacksAsync(CancellationToken ct)
    {
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        // Uploaders that failed no longer read: waiting for room in their queue must end with their failure. A pack
        // leaves _open only once handed over, so that DisposeAsync removes the drafts of those that were not.
        using var uploadersAlive = CancellationTokenSource.CreateLinkedTokenSource(ct, _failure.Token);
        for (var i = 0; i < _open.Length; i++)
        {
            OpenPack? pack;
            lock (_packLock)
                pack = _open[i];
            if (pack is { Entries.Count: > 0 })
                await _uploads.Writer.WriteAsync(pack, uploadersAlive.Token).ConfigureAwait(false);
            else
                pack?.Dispose();
            lock (_packLock)
                _open[i] = null;
        }
        _uploads.Writer.TryComplete();
        await Task.WhenAll(_uploaders).ConfigureAwait(false);
        await WriteIndexAsync(force: true, ct).ConfigureAwait(false);
    }

    private async Task VerifySameAsync(BlobId id, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var stored = await _repository.LoadBlobAsync(id, ct).ConfigureAwait(false);
        if (!stored.AsSpan().SequenceEqual(data.Span))
            throw new CairnException(ErrorKind.RepositoryCorrupt,
                $"--verify-dedup: stored blob {id.Digest.Short} differs from new data with the same ID; nothing was deduplicated against it",
                "run 'cairn check --read-data' and report this: it is either damage or a hash collision");
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                _room.Leave(job.Length);
                (OpenPack? Closed, OpenPack? Finished) ready;
                try
                {
                    ready = Seal(job);
                }
                finally
                {
                    BufferPool.Shared.Return(job.Buffer);
                }
                if (ready.Closed is not null)
                    await _uploads.Writer.WriteAsync(ready.Closed, ct).ConfigureAwait(false);
                if (ready.Finished is not null)
                    await _uploads.Writer.WriteAsync(ready.Finished, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _workerFailure ??= e;
            await _failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An uploader's loop, on a thread of its own: it blocks while a pack is stored.</summary>
    private void UploadLoop(CancellationToken ct)
    {
        try
        {
            while (_uploads.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
            {
                while (_uploads.Reader.TryRead(out var pack))
                {
                    using (pack)
                        UploadAsync(pack, ct).GetAwaiter().GetResult();
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _workerFailure ??= e;
            _failure.Cancel();
            throw;
        }
    }

    private async Task ThrowWorkerFailureAsync()
    {
        try
        {
            await Task.WhenAll(_workers.Concat(_uploaders)).ConfigureAwait(false);
        }
        catch when (_workerFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_workerFailure);
        }
    }

    /// <summary>
    /// Compresses one blob and seals it straight into its place in the open pack (no copy of the sealed bytes).
    /// The place is reserved under the pack lock and filled outside it, so workers encrypt in parallel; a pack
    /// that a blob would overflow is closed, and goes to upload once its last writer is done. Returns the packs
    /// that became ready (at most two: the one closed here and the one this blob was written into).
    /// </summary>
    private (OpenPack? Closed, OpenPack? Finished) Seal(Job job)
    {
        var plain = job.Buffer.AsSpan(0, job.Length);
        // Compressed bytes go where a sealed box keeps its body, so that the blob is sealed in place and written
        // from here into the pack's draft.
        var bound = Zstd.Bound(job.Length);
        var work = BufferPool.Shared.Rent(bound + SealedBox.Overhead);
        try
        {
            var compressedLength = Zstd.TryCompress(_compression, plain, work.AsSpan(SealedBox.NonceLength, bound));
            var kind = compressedLength >= 0 ? CompressionKind.Zstd : CompressionKind.None;
            var bodyLength = kind == CompressionKind.Zstd ? compressedLength : job.Length;
            var sealedLength = bodyLength + SealedBox.Overhead;
            OpenPack pack;
            OpenPack? closed = null;
            int offset;
            lock (_packLock)
            {
                // Close the open pack before a blob that would push it past the pack size or the count of blobs.
                var packSize = job.Type == BlobType.Tree ? Math.Min(_repository.Config.PackSize, TreePackSize) : _repository.Config.PackSize;
                var open = _open[(int)job.Type];
                if (open is not null && (open.Length + sealedLength + PackFormat.TailLength(open.Entries.Count + 1) > packSize || open.Entries.Count >= MaxPackBlobs))
                {
                    if (open.Close())
                        closed = open;
                    open = null;
                }
                pack = open ?? new OpenPack(_repository.Storage.StartDraftOrSpool(ObjectKind.Pack));
                offset = pack.Reserve(job.Id, job.Type, kind, sealedLength, job.Length);
                _open[(int)job.Type] = pack;
            }
            Span<byte> ad = stackalloc byte[1 + Digest.Length];
            BlobCodec.Associated(job.Type, job.Id, ad);
            if (kind == CompressionKind.None)
                plain.CopyTo(work.AsSpan(SealedBox.NonceLength));
            pack.Seal(offset, _repository.Keys.Box(BlobCodec.DomainOf(job.Type)), ad, work, bodyLength);
            Interlocked.Increment(ref _blobsAdded);
            Interlocked.Add(ref _bytesAdded, job.Length);
            Interlocked.Add(ref _bytesStored, sealedLength);
            lock (_packLock)
                return (closed, pack.WriterDone() ? pack : null);
        }
        finally
        {
            BufferPool.Shared.Return(work);
        }
    }

    private async Task UploadAsync(OpenPack pack, CancellationToken ct)
    {
        pack.Append(PackFormat.EncodeTail(_repository.Keys, pack.Entries));
        var id = pack.Id();
        await pack.StoreAsync(Repository.PackName(id), ct).ConfigureAwait(false);
        Interlocked.Increment(ref _packsWritten);
        var entries = pack.Entries.ToArray();
        _repository.Index.AddPack(id, entries);
        foreach (var e in entries)
        {
            if (_pending.TryRemove(e.Id, out var done))
                done?.TrySetResult();
        }
        lock (_unindexed)
            _unindexed.Add((id, entries));
        await WriteIndexAsync(force: false, ct).ConfigureAwait(false);
    }

    private async Task WriteIndexAsync(bool force, CancellationToken ct)
    {
        await _indexLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            (PackId, IReadOnlyList<PackEntry>)[] batch;
            lock (_unindexed)
            {
                if (_unindexed.Count == 0 || (!force && !IndexFileSize.IsFull(_unindexed.Count, _unindexed.Sum(p => (long)p.Entries.Count))))
                    return;
                batch = [.. _unindexed];
                _unindexed.Clear();
            }
            await _repository.WriteIndexAsync(batch, ct).ConfigureAwait(false);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        _uploads.Writer.TryComplete();
        await _failure.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workers.Concat(_uploaders)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // failures were reported through SaveAsync or FlushAsync
        }
        while (_jobs.Reader.TryRead(out var job))
            BufferPool.Shared.Return(job.Buffer);
        while (_uploads.Reader.TryRead(out var pack))
            pack.Dispose();
        lock (_packLock)
        {
            foreach (var pack in _open)
                pack?.Dispose();
            Array.Clear(_open);
        }
        _failure.Dispose();
        _indexLock.Dispose();
    }

    private readonly record struct Job(BlobType Type, BlobId Id, byte[] Buffer, int Length);
}
