using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Restore;

/// <summary>
/// Writes a restore's planned batches (<see cref="RestoreBatch"/>), one at a time, on a task of its own while the
/// restore plans the next: the packs a batch needs are fetched in parallel, in jobs of at most
/// <see cref="JobBlobs"/> blobs, and their blobs written at their offsets in every file of the batch that holds them
/// (a file is created with its first blob); each file gets its owner, attributes, mode and times as soon as its last
/// blob is written, and once its batch is written is read back (with <see cref="RestoreOptions.Verify"/>) and given
/// its chattr flags; the later names of hard-link groups planned with the batch are linked then too.
/// </summary>
internal sealed class BatchWriter(IBlobLoader loader, RestoreOptions options, RestoreProgress progress, ConfinedDirectory target,
    MetadataWriter metadata, CancellationTokenSource stop)
{
    /// <summary>
    /// Blobs in one writer's job, at most: a few milliseconds of small files' creating and writing. A pack of large
    /// blobs stays one job, read in order: cut into 4 MiB jobs as well, the 2 GiB corpus restored 20% slower over
    /// SFTP (11.3-12.2 s against 9.1-9.7 s).
    /// </summary>
    private const int JobBlobs = 256;

    private readonly IBlobLoader _loader = loader;
    private readonly RestoreOptions _options = options;
    private readonly RestoreProgress _progress = progress;
    private readonly ConfinedDirectory _target = target;
    private readonly MetadataWriter _metadata = metadata;
    private readonly CancellationTokenSource _stop = stop;
    private Task _writing = Task.CompletedTask;
    private long _verified, _bytes;

    /// <summary>Files whose flags wait for the other names of their hard-link groups, linked batch by batch (nothing links to an immutable file).</summary>
    public List<RestoreFile> LinkedFlagged { get; } = [];

    /// <summary>Content bytes written.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Files read back and found as the snapshot has them.</summary>
    public long Verified => Interlocked.Read(ref _verified);

    /// <summary>
    /// Starts writing <paramref name="batch"/>, once the batch before it is written (which throws here what writing
    /// that one threw). A failure of the writing cancels the restore's <c>stop</c>, so that planning stops too.
    /// </summary>
    public async Task StartAsync(RestoreBatch batch)
    {
        await _writing.ConfigureAwait(false);
        var ct = _stop.Token;
        _writing = Task.Run(async () =>
        {
            try
            {
                await WriteAsync(batch, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await _stop.CancelAsync().ConfigureAwait(false); // planning stops at its next entry
                throw;
            }
        }, ct);
    }

    /// <summary>Waits for the last batch to be written; throws what writing it threw.</summary>
    public async Task WrittenAsync() => await _writing.ConfigureAwait(false);

    /// <summary>
    /// Stops the batch being written after planning failed, and waits for it, so that nothing is written once the
    /// target is closed; throws what the writing threw if it failed on its own (planning then stopped for it).
    /// </summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_writing.IsFaulted)
            await _writing.ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a batch: its files' content, pack by pack; the metadata of its files without content; then, with
    /// <see cref="RestoreOptions.Verify"/>, reads them back; links the later names of hard-link groups planned with
    /// it; then sets the flags of those that get flags, but for the first names of hard-link groups, which get theirs
    /// at the end, once every other name is linked (nothing links to an immutable file). Verified while the restore's directories still admit their owner (a user other than root may
    /// restore directories they may not enter).
    /// </summary>
    private async Task WriteAsync(RestoreBatch batch, CancellationToken ct)
    {
        await WriteContentAsync(batch, ct).ConfigureAwait(false);
        foreach (var file in batch.Files)
        {
            if (file.Node.Content.Count == 0)
                FinishFile(file);
        }
        if (_options.Verify)
            await VerifyAsync(batch, ct).ConfigureAwait(false);
        MakeLinks(batch, ct);
        foreach (var file in batch.Files)
        {
            var linked = file.Node.Links > 1;
            if (file.SetsFlags && !file.Failed)
            {
                if (linked)
                    LinkedFlagged.Add(file);
                else
                    _metadata.ApplyFileFlags(file);
            }
            if (linked)
                file.Settle(); // kept to the end for its links: its path, flags and identity only
        }
        // A written batch's files, nodes and trees lived through the younger generations' collections while it was
        // written, and are garbage then, in the oldest, which the collector, left to itself, lets grow by tens of
        // megabytes first: a restore of 300,000 small files peaked at 150 MiB instead of 114, of the 2 GiB benchmark
        // corpus at 135 MiB instead of 113-123, at the same speed (bench/README.md). One collection per batch of
        // thousands of files costs milliseconds.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// Links the later names of hard-link groups planned with <paramref name="batch"/> to the first names, which are
    /// written by now (in this batch or an earlier one); a first name not restored completely, or found replaced by
    /// another file, gets no links.
    /// </summary>
    private void MakeLinks(RestoreBatch batch, CancellationToken ct)
    {
        foreach (var (path, first) in batch.Links)
        {
            ct.ThrowIfCancellationRequested();
            if (first.Failed)
            {
                _progress.Error(Posix.Display(path), $"not restored: a hard link to {Posix.Display(first.Path)}, which was not restored completely");
                continue;
            }
            try
            {
                using var existing = _target.OpenEntry(first.Path);
                if (!first.IsStill(existing))
                {
                    _progress.Error(Posix.Display(path), $"hard link not made: {Posix.Display(first.Path)} was replaced during the restore by another file");
                    continue;
                }
                _target.Unlink(path);
                _target.LinkTo(existing, path);
            }
            catch (PosixException e) when (e.IsNoSpace)
            {
                throw new CairnException(ErrorKind.NoSpace, $"the restore target is full: {e.Message}", "free space on the target and run the restore again");
            }
            catch (PosixException e)
            {
                _progress.Error(Posix.Display(path), $"hard link to {Posix.Display(first.Path)} not made: {e.Message}");
                continue;
            }
            _progress.FileDone();
        }
    }

    private async Task WriteContentAsync(RestoreBatch batch, CancellationToken ct)
    {
        await Parallel.ForEachAsync(JobsOf(batch), new ParallelOptions { MaxDegreeOfParallelism = _options.Workers, CancellationToken = ct },
            async (job, token) => await _loader.ReadPackBlobsAsync(job.Pack, job.Blobs, (id, plain) => WriteBlob(batch, id, plain),
                (id, e) => FailBlob(batch, id, e), token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// The batch's blobs by pack, each pack's cut in the order they lie in it into jobs of at most
    /// <see cref="JobBlobs"/> blobs: all writers share the packs, so that a batch of small files, whose blobs lie in
    /// one or two packs, is not written by one writer while the others wait.
    /// </summary>
    private List<(PackId Pack, List<BlobId> Blobs)> JobsOf(RestoreBatch batch)
    {
        var byPack = new Dictionary<PackId, List<(BlobId Id, long Offset)>>();
        foreach (var id in batch.Targets.Keys)
        {
            if (!_loader.Index.TryGet(id, out var entry))
            {
                FailBlob(batch, id, new RepositoryCorruptException($"blob {id.Digest.Short}", "is not in any index"));
                continue;
            }
            var pack = _loader.Index.PackOf(entry);
            if (!byPack.TryGetValue(pack, out var list))
                byPack[pack] = list = [];
            list.Add((id, entry.Offset));
        }
        var jobs = new List<(PackId Pack, List<BlobId> Blobs)>();
        foreach (var (pack, blobs) in byPack)
        {
            blobs.Sort(static (a, b) => a.Offset.CompareTo(b.Offset));
            List<BlobId>? job = null;
            foreach (var (id, _) in blobs)
            {
                if (job is null || job.Count == JobBlobs)
                    jobs.Add((pack, job = []));
                job.Add(id);
            }
        }
        return jobs;
    }

    private ValueTask WriteBlob(RestoreBatch batch, BlobId id, ReadOnlyMemory<byte> plain)
    {
        foreach (var (file, offset) in batch.Targets[id])
        {
            SafeFileHandle? handle = null;
            try
            {
                handle = file.Open(_target);
                foreach (var (at, from, length) in file.Place(offset, plain.Length))
                    Posix.Pwrite(handle, plain.Span.Slice(from, length), at);
                _progress.BytesWritten(plain.Length);
                Interlocked.Add(ref _bytes, plain.Length);
            }
            catch (IOException e) when (e is PosixException { IsNoSpace: true } || Storage.IoErrors.IsNoSpace(e))
            {
                handle?.Dispose();
                throw new CairnException(ErrorKind.NoSpace, $"the restore target is full while writing {Posix.Display(file.Path)}",
                    "free space on the target and run the restore again", e);
            }
            catch (IOException e)
            {
                if (file.Fail())
                    _progress.Error(Posix.Display(file.Path), e.Message);
            }
            using (handle)
            {
                if (file.BlobDone())
                    FinishFile(file, handle);
            }
        }
        return ValueTask.CompletedTask;
    }

    private void FailBlob(RestoreBatch batch, BlobId id, Exception e)
    {
        foreach (var (file, _) in batch.Targets[id])
        {
            if (file.Fail())
                _progress.Error(Posix.Display(file.Path), $"not restored completely: {e.Message}");
            if (file.BlobDone())
                FinishFile(file);
        }
    }

    /// <summary>Gives a file whose last blob is written (or failed) its metadata, through <paramref name="handle"/> when open.</summary>
    private void FinishFile(RestoreFile file, SafeFileHandle? handle = null)
    {
        try
        {
            using var created = handle is null ? file.Open(_target) : null;
            var open = handle ?? created!;
            FillHoles(file, open);
            _metadata.ApplyMetadata(file.Path, file.Node, open);
            file.Remember(open); // with the owner it has now
        }
        catch (PosixException e) when (e.IsNoSpace)
        {
            throw new CairnException(ErrorKind.NoSpace, $"the restore target is full: {e.Message}", "free space on the target and run the restore again");
        }
        catch (IOException e)
        {
            if (file.Fail())
                _progress.Error(Posix.Display(file.Path), e.Message);
        }
        _progress.FileDone();
    }

    /// <summary>With <see cref="RestoreOptions.NoSparse"/>, writes zeros where a sparse file had holes.</summary>
    private void FillHoles(RestoreFile file, SafeFileHandle handle)
    {
        if (!_options.NoSparse || file.Node.Extents is not { } extents)
            return;
        var zeros = new byte[1024 * 1024];
        var position = 0L;
        foreach (var e in extents.Append(new FileExtent(file.Node.Size, 0)))
        {
            for (var p = position; p < e.Offset; p += zeros.Length)
                Posix.Pwrite(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, e.Offset - p)), p);
            position = Math.Max(position, e.End);
        }
    }

    private async Task VerifyAsync(RestoreBatch batch, CancellationToken ct)
    {
        await Parallel.ForEachAsync(batch.Files.Where(f => !f.Failed), new ParallelOptions { MaxDegreeOfParallelism = _options.Workers, CancellationToken = ct }, async (file, token) =>
        {
            try
            {
                using var handle = OpenToVerify(file.Path);
                long offset = 0;
                foreach (var id in file.Node.Content)
                {
                    var length = _loader.Index.TryGet(id, out var entry) ? (int)entry.RawLength : 0;
                    var buffer = new byte[length];
                    var read = 0;
                    foreach (var (at, from, pieceLength) in file.Place(offset, length))
                    {
                        var got = 0;
                        while (got < pieceLength)
                        {
                            var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(from + got, pieceLength - got), at + got, token).ConfigureAwait(false);
                            if (n == 0)
                                break;
                            got += n;
                        }
                        read += got;
                    }
                    if (read != length || _loader.IdOf(BlobType.Data, buffer) != id)
                    {
                        _progress.Error(Posix.Display(file.Path), $"verification failed at offset {offset}: restored content differs from the snapshot");
                        return;
                    }
                    offset += length;
                }
                if (RandomAccess.GetLength(handle) != (file.Node.Extents is null ? offset : file.Node.Size))
                {
                    _progress.Error(Posix.Display(file.Path), "verification failed: restored file has the wrong size");
                    return;
                }
                Interlocked.Increment(ref _verified);
            }
            catch (IOException e)
            {
                _progress.Error(Posix.Display(file.Path), $"verification failed: {e.Message}");
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a restored file to read it back. A user other than root may own a file whose mode denies them reading
    /// (0200, 0000): it gets read permission for its owner for a moment, then its mode again.
    /// </summary>
    private SafeFileHandle OpenToVerify(byte[] path)
    {
        try
        {
            return _target.OpenRead(path);
        }
        catch (PosixException e) when (e.Errno == PosixException.EACCES)
        {
            using var entry = _target.OpenEntry(path);
            var mode = Posix.Fstat(entry).Mode;
            if (!TryChmod(entry, mode | 0x100, path))
                throw; // not the owner: reading is denied for good
            SafeFileHandle opened;
            try
            {
                opened = _target.OpenRead(path);
            }
            catch
            {
                TryChmod(entry, mode, path);
                throw;
            }
            if (TryChmod(entry, mode, path))
                return opened;
            opened.Dispose();
            throw new IOException($"{Posix.Display(path)}: its mode could not be set back after it was made readable to verify it");
        }
    }

    private static bool TryChmod(SafeFileHandle entry, uint mode, byte[] path)
    {
        try
        {
            Posix.ChmodEntry(entry, mode, path);
            return true;
        }
        catch (PosixException)
        {
            return false;
        }
    }
}
