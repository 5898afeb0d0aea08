using System.Text;
using Cairn.Core.Buffers;
using Cairn.Core.Chunking;
using Cairn.Core.Format;
using Cairn.Core.Platform;
using Cairn.Core.Repository;
using Cairn.Core.Snapshots;
using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// Walks the source and turns it into trees and blobs (files are read by <see cref="FileContentReader"/>, flags and
/// attributes by <see cref="EntryMetadataReader"/>). Directories are walked depth-first by up to
/// <see cref="BackupOptions.DirectoryConcurrency"/> walkers (a subdirectory goes to a free walker, else the
/// current one descends into it); files are read, chunked and hashed on up to
/// <see cref="BackupOptions.FileConcurrency"/> tasks at once; new blobs go to the <see cref="IBlobSaver"/>, whose
/// workers compress, seal and pack them. A file that the parent snapshot shows unchanged (same size, mtime, ctime
/// and inode) is not read: the walker reuses its content list without starting a file task.
/// </summary>
public sealed partial class Archiver
{
    private readonly IBlobSaver _saver;
    private readonly IBlobLoader? _parentLoader;
    private readonly Chunker _chunker;
    private readonly ExcludeFilter _filter;
    private readonly BackupOptions _options;
    private readonly ChangeDetectionPolicy _changeDetection;
    private readonly BackupProgress _progress;
    private readonly SemaphoreSlim _fileSlots;
    private readonly SemaphoreSlim _largeFileSlots;
    private readonly SemaphoreSlim _directorySlots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ulong Device, ulong Inode), HardLinkGroup> _linkGroups = new();
    private readonly ArchiveCounters _counters = new();
    private readonly EntryMetadataReader _metadata;
    private readonly FileContentReader _reader;
    private readonly ReadAhead _readAhead;
    private CancellationTokenSource? _abort;
    private IReadOnlyList<Node> _extraRootNodes = [];
    private Exception? _failure;

    /// <summary>Creates an archiver.</summary>
    /// <param name="saver">Where blobs go.</param>
    /// <param name="parentLoader">Reads the parent snapshot's trees; null for a backup without parent.</param>
    /// <param name="chunker">The repository's chunker.</param>
    /// <param name="options">What to read and how.</param>
    /// <param name="progress">Receives counters and warnings.</param>
    public Archiver(IBlobSaver saver, IBlobLoader? parentLoader, Chunker chunker, BackupOptions options, BackupProgress progress)
        : this(saver, parentLoader, chunker, options, progress, new ReadAhead())
    {
    }

    /// <summary>Creates an archiver that reads ahead through <paramref name="readAhead"/>.</summary>
    internal Archiver(IBlobSaver saver, IBlobLoader? parentLoader, Chunker chunker, BackupOptions options, BackupProgress progress, ReadAhead readAhead)
    {
        ArgumentNullException.ThrowIfNull(options);
        _saver = saver;
        _parentLoader = parentLoader;
        _chunker = chunker;
        _options = options;
        _changeDetection = new ChangeDetectionPolicy(new ChangeDetection(options.IgnoreCtime, options.IgnoreInode, options.Rehash), options.ChangeDetectionRules);
        _progress = progress;
        _filter = new ExcludeFilter(options.Excludes, options.ExcludeIfPresent, options.OneFileSystem);
        _fileSlots = new SemaphoreSlim(Math.Max(1, options.FileConcurrency));
        _largeFileSlots = new SemaphoreSlim(Math.Max(1, options.LargeFileConcurrency));
        _directorySlots = new SemaphoreSlim(Math.Max(0, options.DirectoryConcurrency - 1));
        _metadata = new EntryMetadataReader(progress);
        _readAhead = readAhead;
        _reader = new FileContentReader(saver, chunker, _counters, progress, _metadata, readAhead);
    }

    /// <summary>
    /// Backs up <paramref name="absolutePaths"/>, with <paramref name="extraRootNodes"/> (files made of command
    /// output) beside them at the top; returns the root tree and the counters.
    /// </summary>
    public async Task<ArchiveResult> RunAsync(IReadOnlyList<string> absolutePaths, BlobId? parentTree, CancellationToken ct = default,
        IReadOnlyList<Node>? extraRootNodes = null)
    {
        ArgumentNullException.ThrowIfNull(absolutePaths);
        _extraRootNodes = extraRootNodes ?? [];
        var started = DateTimeOffset.UtcNow;
        // One cancellation for the whole run: the first fatal error in any file task stops the walk and every
        // other task, instead of letting the walker start more work that can only fail.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _abort = abort;
        ct = abort.Token;
        using var stopScanner = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var scanner = _progress.WantsTotals ? new SourceScanner(_filter, _progress).RunAsync(absolutePaths, stopScanner.Token) : Task.CompletedTask;
        try
        {
            return await ArchiveAsync(absolutePaths, parentTree, started, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref _failure) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
        finally
        {
            await stopScanner.CancelAsync().ConfigureAwait(false);
            await scanner.ConfigureAwait(false);
        }
    }

    private async Task<ArchiveResult> ArchiveAsync(IReadOnlyList<string> absolutePaths, BlobId? parentTree, DateTimeOffset started, CancellationToken ct)
    {
        var trie = PathTrie.Build(absolutePaths);
        var parentRoot = _options.Force ? null : parentTree;
        BlobId root;
        if (trie.IsTarget)
        {
            if (_extraRootNodes.Count > 0)
                throw new CairnException(ErrorKind.Usage, "command output cannot be stored beside a backup of /", "back up the directories of / by name");
            var status = Posix.Lstat("/"u8);
            root = await SaveDirectoryContentsAsync("/"u8.ToArray(), status.Device, parentRoot, ct).ConfigureAwait(false)
                ?? throw new CairnException(ErrorKind.InvalidInput, "cannot read /");
        }
        else
        {
            var parentNodes = parentRoot is { } p ? await LoadParentAsync(p, ct).ConfigureAwait(false) : null;
            root = await SaveVirtualAsync([], trie, parentNodes, ct).ConfigureAwait(false);
        }
        var c = _counters;
        return new ArchiveResult(root, new SnapshotSummary
        {
            FilesNew = c.FilesNew,
            FilesChanged = c.FilesChanged,
            FilesUnmodified = c.FilesUnmodified,
            Directories = c.Directories,
            TotalFiles = c.TotalEntries,
            TotalBytes = c.TotalBytes,
            BytesRead = c.BytesRead,
            FilesReread = c.FilesReread,
            FilesChangedDuringBackup = c.FilesChangedDuringBackup,
            FilesSilentlyChanged = c.FilesSilentlyChanged,
            Errors = _progress.Errors,
            Started = started,
            Finished = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>Saves a directory on the way to a backup path: only the children that lead to targets.</summary>
    private async Task<BlobId> SaveVirtualAsync(byte[] path, PathTrie trie, Dictionary<string, Node>? parentNodes, CancellationToken ct)
    {
        var nodes = path.Length == 0 ? new List<Node>(_extraRootNodes) : [];
        foreach (var (name, child) in trie.Children)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var childPath = PathBytes.Join(path.Length == 0 ? "/"u8 : path, nameBytes);
            var parentNode = parentNodes?.GetValueOrDefault(Key(nameBytes));
            FileStatus status;
            try
            {
                status = Posix.Lstat(childPath);
            }
            catch (PosixException e)
            {
                _progress.Error(Posix.Display(childPath), e.IsNotFound ? "does not exist" : e.Message);
                continue;
            }
            if (child.IsTarget)
            {
                var started = await SaveEntryAsync(childPath, nameBytes, status, parentNode, status.Device, ct).ConfigureAwait(false);
                if (await started.ResultAsync().ConfigureAwait(false) is { } node)
                    nodes.Add(node);
                continue;
            }
            if (status.Kind != FileKind.Directory)
            {
                _progress.Error(Posix.Display(childPath), "is not a directory");
                continue;
            }
            var subParent = parentNode?.Subtree is { } s ? await LoadParentAsync(s, ct).ConfigureAwait(false) : null;
            var subtree = await SaveVirtualAsync(childPath, child, subParent, ct).ConfigureAwait(false);
            _counters.Add(ref _counters.Directories);
            _counters.Add(ref _counters.TotalEntries);
            nodes.Add(Node.FromStatus(nameBytes, status, subtree: subtree, xattrs: _metadata.ReadXattrs(childPath), flags: _metadata.ReadFlags(childPath)));
        }
        if (path.Length == 0 && nodes.GroupBy(n => Key(n.Name)).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new CairnException(ErrorKind.Usage, $"/{clash.First().DisplayName} is both a backup path and the name of a command's output", "name the command's output otherwise");
        return await SaveTreeAsync(nodes, ct).ConfigureAwait(false);
    }

    /// <summary>Starts saving one entry; directories are saved before this returns, files may still be in flight.</summary>
    private async ValueTask<PendingNode> SaveEntryAsync(byte[] path, byte[] name, FileStatus status, Node? parentNode, ulong rootDevice, CancellationToken ct)
    {
        switch (status.Kind)
        {
            case FileKind.Directory:
            {
                // A free walker slot takes the directory to another thread; otherwise this walker goes down into it.
                if (!_directorySlots.Wait(0, CancellationToken.None))
                    return new PendingNode(await SaveDirectoryAsync(path, name, status, parentNode, rootDevice, ct).ConfigureAwait(false), null);
                var walked = new TaskCompletionSource<Node?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _ = CompleteAsync(walked, SaveDirectoryInSlotAsync(path, name, status, parentNode, rootDevice, ct));
                return new PendingNode(null, walked.Task);
            }
            case FileKind.File:
                if (Unchanged(path, status, parentNode) is { } unchanged)
                    return new PendingNode(unchanged, null);
                // The directory waits on a bare completion, not on the file's async state machine, which would keep
                // every local of every finished file alive until the directory is done.
                var done = new TaskCompletionSource<Node?>(TaskCreationOptions.RunContinuationsAsynchronously);
                HardLinkGroup? group = null;
                if (status.Links > 1)
                {
                    // One read per hard-link group: later names wait for the first one's content.
                    var mine = new HardLinkGroup(done.Task);
                    group = _linkGroups.GetOrAdd((status.Device, status.Inode), mine);
                    if (group != mine)
                    {
                        _ = CompleteAsync(done, SaveAnotherNameAsync(group, path, name, status, parentNode, ct));
                        return new PendingNode(null, done.Task);
                    }
                }
                await _fileSlots.WaitAsync(ct).ConfigureAwait(false);
                _ = CompleteAsync(done, SaveFileInSlotAsync(path, name, status, parentNode, ct), group);
                return new PendingNode(null, done.Task);
            case FileKind.Symlink:
                try
                {
                    var target = Posix.ReadLink(path);
                    // Reading a link may update its atime (relatime): record the status as it is after the read.
                    var after = Posix.Lstat(path);
                    CountEntry();
                    return new PendingNode(Node.FromStatus(name, after, linkTarget: target, xattrs: _metadata.ReadXattrs(path)), null);
                }
                catch (PosixException e)
                {
                    _progress.Error(Posix.Display(path), e.Message);
                    return default;
                }
            default:
                CountEntry();
                return new PendingNode(Node.FromStatus(name, status, xattrs: _metadata.ReadXattrs(path)), null);
        }
    }

    private async Task<Node?> SaveDirectoryInSlotAsync(byte[] path, byte[] name, FileStatus status, Node? parentNode, ulong rootDevice, CancellationToken ct)
    {
        try
        {
            await Task.Yield(); // leave the walker free to go on with the parent directory
            return await SaveDirectoryAsync(path, name, status, parentNode, rootDevice, ct).ConfigureAwait(false);
        }
        finally
        {
            _directorySlots.Release();
        }
    }

    private async Task<Node?> SaveDirectoryAsync(byte[] path, byte[] name, FileStatus status, Node? parentNode, ulong rootDevice, CancellationToken ct)
    {
        BlobId? subtree;
        if (_filter.OneFileSystem && status.Device != rootDevice)
            subtree = await SaveTreeAsync([], ct).ConfigureAwait(false); // the mount point, not what is mounted on it
        else
        {
            subtree = await SaveDirectoryContentsAsync(path, rootDevice, parentNode?.Subtree, ct).ConfigureAwait(false);
        }
        if (subtree is null)
            return null;
        _counters.Add(ref _counters.Directories);
        _counters.Add(ref _counters.TotalEntries);
        _progress.FileDone(0);
        // Changing an attribute or a flag changes the ctime: with the ctime as in the parent, they still hold.
        return parentNode is { Kind: FileKind.Directory } old && old.Ctime == status.Ctime && !_changeDetection.For(path).IgnoreCtime
            ? Node.FromStatus(name, status, subtree: subtree, xattrs: old.Xattrs, flags: old.Flags)
            : Node.FromStatus(name, status, subtree: subtree, xattrs: _metadata.ReadXattrs(path), flags: _metadata.ReadFlags(path));
    }

    private void CountEntry()
    {
        _counters.Add(ref _counters.TotalEntries);
        _progress.FileDone(0);
    }

    /// <summary>
    /// Saves every entry of a directory and returns its tree's ID, or null when it cannot be read or is excluded by a
    /// marker; <paramref name="parentTree"/> is the directory's tree in the parent snapshot. Memory grows with the
    /// directory (several walkers may each be in a directory of 100,000 files): each entry's listing and its node in
    /// the parent snapshot are dropped as soon as its save has started.
    /// </summary>
    private async Task<BlobId?> SaveDirectoryContentsAsync(byte[] path, ulong rootDevice, BlobId? parentTree, CancellationToken ct)
    {
        // Every entry's status is read first, by name in the open directory (no walk of the whole path per entry),
        // and the directory is closed before its subdirectories are walked.
        DirectoryListing directory;
        try
        {
            directory = Posix.OpenDirectory(path);
        }
        catch (PosixException e)
        {
            _progress.Error(Posix.Display(path), e.IsNotFound ? "vanished during the backup" : e.Message);
            return null;
        }
        var entries = new List<(byte[] Name, byte[] Path, FileStatus Status)>(directory.Names.Count);
        using (directory)
        {
            if (_filter.HasMarker(directory.Names))
                return null;
            foreach (var name in directory.Names)
            {
                ct.ThrowIfCancellationRequested();
                var childPath = PathBytes.Join(path, name);
                if (_filter.IsExcluded(childPath))
                    continue;
                FileStatus status;
                try
                {
                    status = directory.Lstat(name);
                }
                catch (PosixException e)
                {
                    _progress.Error(Posix.Display(childPath), e.IsNotFound ? "vanished during the backup" : e.Message);
                    continue;
                }
                if (_options.ExcludeNodump && status.Kind is FileKind.File or FileKind.Directory
                    && (_metadata.ReadFlags(childPath) & Posix.NoDumpFlag) != 0)
                    continue;
                entries.Add((name, childPath, status));
            }
        }
        var parentNodes = parentTree is { } tree ? await LoadParentAsync(tree, ct).ConfigureAwait(false) : null;
        var pending = new List<PendingNode>(entries.Count);
        try
        {
            var readAheadFrom = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                readAheadFrom = ReadAheadOf(entries, i, readAheadFrom, parentNodes);
                var (name, childPath, status) = entries[i];
                entries[i] = default;
                Node? parentNode = null;
                parentNodes?.Remove(Key(name), out parentNode); // names are unique in a directory
                var started = await SaveEntryAsync(childPath, name, status, parentNode, rootDevice, ct).ConfigureAwait(false);
                if (started.HasNode)
                    pending.Add(started);
            }
            parentNodes = null;
        }
        finally
        {
            // Every started save ends before the directory does, also when one of them failed.
            var running = new List<Task<Node?>>();
            foreach (var entry in pending)
            {
                if (entry.Running is { } task)
                    running.Add(task);
            }
            if (running.Count > 0)
                await Task.WhenAll(running).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
        var nodes = new List<Node>(pending.Count);
        foreach (var entry in pending)
        {
            if (await entry.ResultAsync().ConfigureAwait(false) is { } node)
                nodes.Add(node);
        }
        return await SaveTreeAsync(nodes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes <paramref name="done"/> with what <paramref name="work"/> gives; a node saved as the first name of a
    /// hard-link group first settles <paramref name="group"/> with it.
    /// </summary>
    private async Task CompleteAsync(TaskCompletionSource<Node?> done, Task<Node?> work, HardLinkGroup? group = null)
    {
        try
        {
            var node = await work.ConfigureAwait(false);
            group?.Settle(node);
            done.SetResult(node);
        }
        catch (OperationCanceledException e)
        {
            done.SetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            done.SetException(e);
            Interlocked.CompareExchange(ref _failure, e, null);
            await _abort!.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<BlobId> SaveTreeAsync(List<Node> nodes, CancellationToken ct)
    {
        var bytes = TreeCodec.Encode(nodes);
        var id = _saver.IdOf(BlobType.Tree, bytes);
        var rented = BufferPool.Shared.Rent(bytes.Length);
        bytes.CopyTo(rented, 0);
        await _saver.SaveAsync(BlobType.Tree, id, rented, bytes.Length, ct).ConfigureAwait(false);
        return id;
    }

    private async Task<Dictionary<string, Node>?> LoadParentAsync(BlobId tree, CancellationToken ct)
    {
        if (_parentLoader is null || !_parentLoader.Index.Contains(tree))
            return null;
        try
        {
            var nodes = await _parentLoader.LoadTreeOnceAsync(tree, ct).ConfigureAwait(false);
            var map = new Dictionary<string, Node>(nodes.Count, StringComparer.Ordinal);
            foreach (var n in nodes)
                map[Key(n.Name)] = n;
            return map;
        }
        catch (RepositoryCorruptException e)
        {
            _progress.Warning($"tree {tree.Digest.Short}", $"parent snapshot tree unreadable, files below are read again: {e.Message}");
            return null;
        }
    }

    /// <summary>A lossless string key for a byte name (Latin-1 maps every byte to one char).</summary>
    private static string Key(byte[] name) => Encoding.Latin1.GetString(name);
}
