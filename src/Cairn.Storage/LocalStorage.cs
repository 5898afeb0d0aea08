using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage;

/// <summary>A repository in a directory of the local filesystem.</summary>
/// <remarks>
/// Writes go to a temporary file beside the target, are flushed to disk, renamed over the target and
/// made durable by flushing the directory, so a crash leaves either the old state or the new object.
/// Temporary files start with <c>.tmp-</c> and are invisible to <see cref="ListAsync"/>.
/// </remarks>
public sealed class LocalStorage : IStorage
{
    private const string TempPrefix = ".tmp-";
    private const int CopyPieceLength = 1024 * 1024;
    private readonly string _root;

    /// <summary>Opens the store at <paramref name="root"/>; it need not exist yet.</summary>
    public LocalStorage(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
    }

    /// <inheritdoc/>
    public string Location => _root;

    /// <inheritdoc/>
    public Task CreateAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            Directory.CreateDirectory(_root);
            foreach (var dir in ObjectLayout.Directories())
                Directory.CreateDirectory(Path.Combine(_root, dir));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, $"cannot create repository directories in {_root}");
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredObject> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await Task.Yield();
        if (kind == ObjectKind.Config)
        {
            var stat = await StatAsync(ObjectName.Config, ct).ConfigureAwait(false);
            if (stat is { } s)
                yield return s;
            yield break;
        }
        var dir = Path.Combine(_root, ObjectLayout.Directory(kind));
        if (!Directory.Exists(dir))
            yield break;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = kind == ObjectKind.Pack,
            MaxRecursionDepth = 1,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
        };
        foreach (var info in new DirectoryInfo(dir).EnumerateFiles("*", options))
        {
            ct.ThrowIfCancellationRequested();
            if (info.Name.StartsWith(TempPrefix, StringComparison.Ordinal))
                continue;
            ObjectName name;
            try
            {
                name = new ObjectName(kind, info.Name);
            }
            catch (ArgumentException)
            {
                continue; // a stray file a user put there; not an object
            }
            long length;
            try
            {
                length = info.Length; // the file's status is taken here, after its name was listed
            }
            catch (FileNotFoundException)
            {
                continue; // removed since it was listed: a lock released, a pack pruned
            }
            yield return new StoredObject(name, length);
        }
    }

    /// <inheritdoc/>
    public Task<StoredObject?> StatAsync(ObjectName name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var info = new FileInfo(PathOf(name));
        return Task.FromResult<StoredObject?>(info.Exists ? new StoredObject(name, info.Length) : null);
    }

    /// <summary>Reads of a pack this long or longer are part of a stream of blobs read once, and leave the page cache.</summary>
    private const int StreamReadLength = 256 * 1024;

    /// <summary>
    /// Whether objects of <paramref name="kind"/> leave the page cache once written, and once read in long reads:
    /// packs, which are not read again soon (the index says what they hold; a restore, a check or a server reads
    /// each stretch once). Kept cached, they would push out the machine's own cached files and take new memory for
    /// each one; dropped, their pages serve the next pack (a first backup of 2 GiB right after its files were
    /// copied took 5.1-5.7 s instead of 5.8-7.9 s, a restore after it 2.8-2.9 s instead of 3.8-4.8 s,
    /// bench/README.md). Index files and snapshots, which commands come back to, stay cached, as do single blobs.
    /// </summary>
    private static bool ReadOnce(ObjectKind kind) => kind == ObjectKind.Pack;

    /// <inheritdoc/>
    public Task<int> ReadAsync(ObjectName name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ct.ThrowIfCancellationRequested();
        try
        {
            // A plain pread on the calling thread: reads of a local store are mostly served from the page cache,
            // where handing each one to another thread (what RandomAccess.ReadAsync does for a file opened without
            // asynchronous I/O on Linux) costs more than the read; callers that read much run on worker threads.
            using var handle = File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var read = ReadAt(handle, offset, buffer.Span);
            if (ReadOnce(name.Kind) && read >= StreamReadLength)
                PageCache.Drop(handle, offset, read);
            return Task.FromResult(read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StorageException.NotFound(name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, $"cannot read {name} in {_root}");
        }
    }

    /// <inheritdoc/>
    public async Task WriteAsync(ObjectName name, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        var target = PathOf(name);
        var dir = Path.GetDirectoryName(target)!;
        var temp = TemporaryPathIn(dir);
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, content.Length))
            {
                await RandomAccess.WriteAsync(handle, content, 0, ct).ConfigureAwait(false);
                RandomAccess.FlushToDisk(handle);
                if (ReadOnce(name.Kind))
                    PageCache.Drop(handle);
            }
            MoveIntoPlace(temp, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temp);
            if (e is OperationCanceledException)
                throw;
            if (e is DirectoryNotFoundException)
                throw new StorageException(StorageErrorKind.Permanent, $"cannot write {name}: {_root} is not a repository (missing {dir})", e);
            throw Classify(e, $"cannot write {name} in {_root}");
        }
    }

    /// <inheritdoc/>
    /// <remarks>Copied in pieces into a draft of its kind, committed as <see cref="StartDraft"/>'s drafts are.</remarks>
    public async Task WriteAsync(ObjectName name, IObjectContent content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var draft = StartDraft(name.Kind)!;
        var total = content.Length;
        var piece = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(total, 1, CopyPieceLength));
        try
        {
            for (long offset = 0; offset < total;)
            {
                ct.ThrowIfCancellationRequested();
                var length = (int)Math.Min(piece.Length, total - offset);
                content.ReadExactly(offset, piece.AsSpan(0, length));
                draft.Write(offset, piece.AsSpan(0, length));
                offset += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
        await draft.CommitAsync(name, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The draft is a temporary file in the kind's top directory, so that the commit is a rename on one file system.</remarks>
    public IObjectDraft? StartDraft(ObjectKind kind)
    {
        var dir = Path.Combine(_root, ObjectLayout.Directory(kind));
        var temp = TemporaryPathIn(dir);
        try
        {
            return new LocalObjectDraft(this, temp, $"a new {kind.ToString().ToLowerInvariant()} in {_root}", uncached: ReadOnce(kind));
        }
        catch (DirectoryNotFoundException e)
        {
            throw new StorageException(StorageErrorKind.Permanent, $"cannot write to {_root}: it is not a repository (missing {dir})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, $"cannot write to {_root}");
        }
    }

    /// <inheritdoc/>
    public bool CanOverwriteInPlace => true;

    /// <inheritdoc/>
    public async Task OverwriteWithZerosAsync(ObjectName name, CancellationToken ct = default)
    {
        var zeros = new byte[1 << 20];
        try
        {
            using var handle = File.OpenHandle(PathOf(name), FileMode.Open, FileAccess.Write);
            var length = RandomAccess.GetLength(handle);
            for (long offset = 0; offset < length; offset += zeros.Length)
                await RandomAccess.WriteAsync(handle, zeros.AsMemory(0, (int)Math.Min(zeros.Length, length - offset)), offset, ct).ConfigureAwait(false);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // already gone
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, $"cannot overwrite {name} in {_root}");
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(ObjectName name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            File.Delete(PathOf(name));
            return Task.CompletedTask;
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, $"cannot delete {name} in {_root}");
        }
    }

    /// <inheritdoc/>
    public Task<int> RemoveStaleTemporaryFilesAsync(TimeSpan olderThan, CancellationToken ct = default) =>
        Task.FromResult(RemoveStaleTemporaryFiles(olderThan));

    /// <summary>Removes temporary files left by writes that a crash interrupted.</summary>
    public int RemoveStaleTemporaryFiles(TimeSpan olderThan)
    {
        var removed = 0;
        var cutoff = DateTime.UtcNow - olderThan;
        if (!Directory.Exists(_root))
            return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, AttributesToSkip = 0 };
        foreach (var info in new DirectoryInfo(_root).EnumerateFiles(TempPrefix + "*", options))
        {
            if (info.LastWriteTimeUtc < cutoff && TryDelete(info.FullName))
                removed++;
        }
        return removed;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal string PathOf(ObjectName name) => Path.Combine(_root, ObjectLayout.RelativePath(name));

    /// <summary>A new temporary name in <paramref name="dir"/>, invisible to listing.</summary>
    private static string TemporaryPathIn(string dir) => Path.Combine(dir, TempPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>Renames a written and flushed temporary file over <paramref name="target"/> and makes the rename durable.</summary>
    internal static void MoveIntoPlace(string temp, string target)
    {
        File.Move(temp, target, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(target)!);
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> of a draft's file; a failure says what could not be written.</summary>
    internal static void WriteAt(SafeFileHandle handle, ReadOnlySpan<byte> data, long offset, string what)
    {
        try
        {
            RandomAccess.Write(handle, data, offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, what);
        }
    }

    /// <summary>Reads back from a draft's file as <see cref="ReadAt(SafeFileHandle, long, Span{byte})"/> does; a failure says what could not be read.</summary>
    internal static int ReadAt(SafeFileHandle handle, long offset, Span<byte> buffer, string what)
    {
        try
        {
            return ReadAt(handle, offset, buffer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, what);
        }
    }

    /// <summary>Reads up to <c>buffer.Length</c> bytes from <paramref name="offset"/> (pread until the end); returns how many.</summary>
    internal static int ReadAt(SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
                break;
            done += n;
        }
        return done;
    }

    internal static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static StorageException Classify(Exception e, string what)
    {
        if (e is IOException io && IoErrors.IsNoSpace(io))
            return new StorageException(StorageErrorKind.NoSpace, $"{what}: no space left on device", e);
        if (e is UnauthorizedAccessException)
            return new StorageException(StorageErrorKind.Permanent, $"{what}: permission denied", e);
        return new StorageException(StorageErrorKind.Permanent, $"{what}: {e.Message}", e);
    }
}
