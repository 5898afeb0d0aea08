using Cairn.Core.Platform;
using Cairn.Core.Trees;

namespace Cairn.Core.Backup;

/// <summary>
/// What the archiver reads: not the files the parent snapshot shows unchanged; and while files come from the disk,
/// the small files of a directory ahead of the one being started.
/// </summary>
public sealed partial class Archiver
{
    /// <summary>
    /// The node for a file the parent snapshot shows unchanged (same size, mtime, ctime and inode, less what
    /// the path's change detection leaves out; every blob still in the repository), or null when the file
    /// must be read. Decided on the walker, without a file task.
    /// </summary>
    private Node? Unchanged(byte[] path, FileStatus status, Node? parentNode)
    {
        if (!LooksUnchanged(path, status, parentNode, out var detection))
            return null;
        var old = parentNode!;
        foreach (var id in old.Content)
        {
            if (!_saver.Has(id))
                return null;
        }
        _counters.Add(ref _counters.TotalEntries);
        _counters.Add(ref _counters.TotalBytes, status.Size);
        _counters.Add(ref _counters.FilesUnmodified);
        _progress.FileDone(status.Size);
        // Any change of an extended attribute or ACL changes the ctime, so the parent's attributes still hold;
        // when ctimes are not trusted, they are read again.
        return Node.FromStatus(old.Name, status, content: old.Content, xattrs: detection.IgnoreCtime ? _metadata.ReadXattrs(path) : old.Xattrs, extents: old.Extents,
            flags: detection.IgnoreCtime ? _metadata.ReadFlags(path) : old.Flags);
    }

    /// <summary>
    /// Whether the parent snapshot's node may stand for the file without a read, as far as its status tells: a file
    /// there too, with the same metadata (<see cref="SameMetadata"/>), and no <c>--rehash</c> for the path.
    /// </summary>
    private bool LooksUnchanged(byte[] path, FileStatus status, Node? parentNode, out ChangeDetection detection)
    {
        detection = default;
        if (parentNode is not { Kind: FileKind.File })
            return false;
        detection = _changeDetection.For(path);
        return !detection.Rehash && SameMetadata(parentNode, status, detection);
    }

    /// <summary>Size, mtime, ctime and inode as in the parent's node, less what the path's change detection leaves out.</summary>
    private static bool SameMetadata(Node? parentNode, FileStatus status, ChangeDetection detection) =>
        parentNode is { Kind: FileKind.File } old && old.Size == status.Size && old.Mtime == status.Mtime
        && (old.Ctime == status.Ctime || detection.IgnoreCtime) && (old.Inode == status.Inode || detection.IgnoreInode);

    /// <summary>
    /// While files come from the disk (<see cref="ReadAhead"/>), has the kernel start reading the small files among
    /// the entries from <paramref name="current"/> to <see cref="ReadAhead.Files"/> further that are to be read (none
    /// that looks unchanged from the parent snapshot, none read ahead before: from <paramref name="from"/>), as long
    /// as the small files from <paramref name="current"/> on hold at most <see cref="ReadAhead.Bytes"/> (files read
    /// ahead past a subdirectory wait in the page cache for the walk of all of it). Large files are left to the
    /// kernel's own read-ahead of their one sequential reader. Returns where the next call goes on.
    /// </summary>
    private int ReadAheadOf(List<(byte[] Name, byte[] Path, FileStatus Status)> entries, int current, int from,
        Dictionary<string, Node>? parentNodes)
    {
        if (!_readAhead.IsActive)
            return Math.Max(from, current + 1);
        long ahead = 0;
        for (var i = current; i < from; i++)
            ahead += IsSmallFile(entries[i].Status) ? entries[i].Status.Size : 0;
        var end = Math.Min(entries.Count, current + ReadAhead.Files);
        var next = Math.Max(from, current);
        for (; next < end; next++)
        {
            var (name, path, status) = entries[next];
            if (!IsSmallFile(status))
                continue;
            if (ahead > 0 && ahead + status.Size > ReadAhead.Bytes)
                break;
            ahead += status.Size;
            if (parentNodes is not null && parentNodes.TryGetValue(Key(name), out var parentNode)
                && LooksUnchanged(path, status, parentNode, out _))
                continue;
            _readAhead.Start(path, status.Size);
        }
        return next;
    }

    /// <summary>A regular file with data that is not read as a large one.</summary>
    private bool IsSmallFile(FileStatus status) => status is { Kind: FileKind.File, Size: > 0 } && !IsLarge(status);

    /// <summary>Whether a file is read as a large one: one at a time, sequentially.</summary>
    private bool IsLarge(FileStatus status) => status.Size > _chunker.Parameters.MaxSize / 2;
}
