using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>Reading files: in a slot, large ones one at a time, again while they change, once for all the names of a hard-link group.</summary>
public sealed partial class Archiver
{
    /// <summary>
    /// Another name of a hard-link group whose first name is being read: once that read is done its content is
    /// reused, unless the file changed in between (then this name is read as well).
    /// </summary>
    private async Task<Node?> SaveAnotherNameAsync(HardLinkGroup group, byte[] path, byte[] name, FileStatus status, Node? parentNode, CancellationToken ct)
    {
        var read = await group.FirstAsync().ConfigureAwait(false);
        if (read is null || read.Size != status.Size || read.Mtime != status.Mtime || read.Ctime != status.Ctime)
        {
            await _fileSlots.WaitAsync(ct).ConfigureAwait(false);
            return await SaveFileInSlotAsync(path, name, status, parentNode, ct).ConfigureAwait(false);
        }
        _counters.Add(ref _counters.TotalEntries);
        _counters.Add(ref _counters.TotalBytes, status.Size);
        _counters.Add(ref parentNode is null ? ref _counters.FilesNew : ref _counters.FilesChanged);
        _progress.FileDone(status.Size);
        return Node.FromStatus(name, status, content: read.Content, xattrs: read.Xattrs, extents: read.Extents, flags: read.Flags);
    }

    private async Task<Node?> SaveFileInSlotAsync(byte[] path, byte[] name, FileStatus status, Node? parentNode, CancellationToken ct)
    {
        // Large files are read one (LargeFileConcurrency) at a time, sequentially, while small files are read many
        // at a time: a disk reads one long file faster than several at once.
        var large = IsLarge(status);
        try
        {
            await Task.Yield(); // leave the walker free to start the next entry
            if (large)
                await _largeFileSlots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await SaveFileAsync(path, name, status, parentNode, ct).ConfigureAwait(false);
            }
            finally
            {
                if (large)
                    _largeFileSlots.Release();
            }
        }
        finally
        {
            _fileSlots.Release();
        }
    }

    /// <summary>
    /// Reads a file and returns its node. When size, mtime or ctime moved during the read, the file is read again,
    /// up to <see cref="BackupOptions.RetryChanged"/> times (not when it is larger than
    /// <see cref="BackupOptions.RereadMaxSize"/> or the read took longer than <see cref="BackupOptions.RereadMaxTime"/>);
    /// if it still changes, the last read is kept, marked as changed during the backup, and reported.
    /// </summary>
    private async Task<Node?> SaveFileAsync(byte[] path, byte[] name, FileStatus status, Node? parentNode, CancellationToken ct)
    {
        _counters.Add(ref _counters.TotalEntries);
        _counters.Add(ref _counters.TotalBytes, status.Size);
        var before = status;
        for (var attempt = 0; ; attempt++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            FileRead read;
            try
            {
                read = await _reader.ReadAsync(path, before, ct).ConfigureAwait(false);
            }
            catch (PosixException e)
            {
                _progress.Error(Posix.Display(path), e.IsNotFound ? "vanished during the backup"
                    : e.IsNotRegularFile ? "replaced during the backup by an entry that is not a regular file; not saved"
                    : e.Message);
                return null;
            }
            catch (IOException e)
            {
                _progress.Error(Posix.Display(path), e.Message);
                return null;
            }
            var after = read.After;
            var changed = after.Size != before.Size || after.Mtime != before.Mtime || after.Ctime != before.Ctime;
            if (changed && attempt < _options.RetryChanged && after.Size <= _options.RereadMaxSize
                && System.Diagnostics.Stopwatch.GetElapsedTime(started) <= _options.RereadMaxTime)
            {
                _counters.Add(ref _counters.FilesReread);
                before = after;
                continue;
            }
            if (changed)
            {
                _counters.Add(ref _counters.FilesChangedDuringBackup);
                _progress.Warning(Posix.Display(path), attempt == 0
                    ? "changed while it was being read; the snapshot holds what was read, marked as changed during the backup"
                    : $"changed while it was being read, {attempt + 1} times; the snapshot holds the last read, marked as changed during the backup");
            }
            var node = NodeOf(name, before, read, changed);
            if (!changed && parentNode is { Kind: FileKind.File } && _changeDetection.For(path) is { Rehash: true } detection
                && SameMetadata(parentNode, status, detection) && !parentNode.Content.SequenceEqual(node.Content))
            {
                _counters.Add(ref _counters.FilesSilentlyChanged);
                _progress.Warning(Posix.Display(path), "content changed although size, times and inode did not: silent corruption, or a program that puts times back");
            }
            _counters.Add(ref parentNode is null ? ref _counters.FilesNew : ref _counters.FilesChanged);
            _progress.FileDone(0);
            return node;
        }
    }

    /// <summary>
    /// The node's size is what was read, so that content and size always agree, even for a file that grew or
    /// shrank; its times are those from before the read, so a file that changed meanwhile is read again next time.
    /// </summary>
    private static Node NodeOf(byte[] name, FileStatus before, FileRead read, bool changed)
    {
        // A sparse file keeps its size, or the smaller size it had after the read, should it have shrunk (a hole
        // must not stand where it ended); never less than the data read, whose extents are cut to what was read.
        var size = read.Extents is { } extents
            ? Math.Max(Math.Min(before.Size, read.After.Size), extents.Count > 0 ? extents[^1].End : 0)
            : read.Length;
        var node = Node.FromStatus(name, before with { Size = size }, content: read.Content, xattrs: read.Xattrs,
            extents: read.Extents, flags: read.Flags);
        return changed ? node.MarkedChangedDuringBackup() : node;
    }
}
