using Cairn.Core.Platform;
using Cairn.Core.Trees;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Restore;

/// <summary>
/// A regular file being restored: where it goes and how many blobs are still to be written. The file is
/// created when its first blob arrives (or at the end, for a file without content), so that a small file
/// costs one open: create, write, owner, mode and times all go through the same descriptor. A restore plans
/// thousands of files ahead of those it writes (<see cref="RestoreBatch"/>), so this holds little: the directory's path (shared by its files), not the
/// file's own, and no lock object (creation locks the file itself). Whether it gets flags is decided when it is
/// planned, once the directories above it are made or taken in (they may hand their flags on), so that the step that
/// creates it and the one that sets its flags agree while later directories are still being taken in.
/// </summary>
internal sealed class RestoreFile(byte[] directory, Node node, uint? layoutFlags, bool setsFlags)
{
    private long[]? _extentStarts = StartsOf(node.Extents);
    private Node? _node = node;
    private int _remaining = node.Content.Count;
    private int _failed;
    private volatile bool _created;
    private EntryIdentity? _made;

    /// <summary>The file's path, made anew at each call.</summary>
    public byte[] Path => PathBytes.Join(directory, Name);

    /// <summary>The file's name in its directory.</summary>
    public byte[] Name { get; } = node.Name;

    /// <summary>The chattr flags the snapshot gives it.</summary>
    public uint Flags { get; } = node.Flags;

    /// <summary>The file's node, until <see cref="Settle"/>.</summary>
    public Node Node => _node ?? throw new InvalidOperationException("a settled file keeps no node");

    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <summary>Whether the file gets chattr flags at the end (its own or those it must lose after inheriting them).</summary>
    public bool SetsFlags { get; } = setsFlags;

    /// <summary>Whether its identity is kept when it is created, for a step that finds it by name later: flags, or links to it.</summary>
    private bool Remembers => SetsFlags || Node.Links > 1;

    /// <summary>
    /// Opens the file for writing at offsets, inside <paramref name="target"/>. The first call replaces whatever was at the path with a new file
    /// of the node's size (unwritten ranges stay holes), given its layout flags when it has any (of
    /// <see cref="Posix.DataLayoutFlags"/>) while it is empty; later calls open that file. Flags the filesystem
    /// refuses are left to the restore's flags step, which reports them. The file's identity is kept for
    /// <see cref="IsStill"/> when it is written in several blobs, gets flags or is linked to.
    /// </summary>
    public SafeFileHandle Open(ConfinedDirectory target)
    {
        var path = Path;
        if (_created)
            return Reopen(target, path);
        lock (this)
        {
            if (_created)
                return Reopen(target, path);
            SafeFileHandle handle;
            try
            {
                handle = target.CreateNew(path, CreationMode);
            }
            catch (PosixException e) when (e.Errno == PosixException.EEXIST)
            {
                // Something is in the way (an earlier restore): replace it. Trying the create first saves a failing
                // unlink per file on an empty target.
                target.Unlink(path);
                handle = target.CreateNew(path, CreationMode);
            }
            try
            {
                if (layoutFlags is { } flags)
                    SetWhileEmpty(handle, flags);
                if ((Node.Content.Count > 1 || Node.Extents is not null) && Node.Size > 0)
                    RandomAccess.SetLength(handle, Node.Size); // pre-sized; a sparse file's holes stay holes
                if (Node.Content.Count > 1 || Remembers)
                    _made = EntryIdentity.Of(Posix.Fstat(handle));
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            _created = true;
            return handle;
        }
    }

    /// <summary>
    /// Opens the file created earlier for its next blob, only if the name still leads to it: another file put in
    /// its place meanwhile (a hard link planted by someone who may write to its directory) is not written.
    /// </summary>
    private SafeFileHandle Reopen(ConfinedDirectory target, byte[] path)
    {
        var handle = target.OpenForWrite(path);
        if (IsStill(handle))
            return handle;
        handle.Dispose();
        throw new IOException($"{Posix.Display(path)} was replaced by another file during the restore; not written");
    }

    /// <summary>
    /// Whether <paramref name="handle"/>, opened by the file's name, holds the file this restore created (its identity
    /// is kept when it is written in several blobs or was asked for): not a hard link to another file put in its
    /// place by someone who may write to its directory.
    /// </summary>
    public bool IsStill(SafeFileHandle handle)
    {
        try
        {
            // The owner too: a file made in its place by someone else is theirs, where birth times alone may match (a
            // kernel's coarse clock gives two files made within a few milliseconds the same).
            return _made is { } made && made.IsStill(Posix.Fstat(handle));
        }
        catch (PosixException)
        {
            return false;
        }
    }

    /// <summary>
    /// Lets go of what only writing the file needed (its node: blobs, extents, attributes), once its batch is written,
    /// keeping its path, flags, identity and whether it failed: the first name of a hard-link group is kept to the end
    /// of the restore, for the later names linked to it and for its flags.
    /// </summary>
    public void Settle()
    {
        _node = null;
        _extentStarts = null;
    }

    /// <summary>Takes the file's identity again through <paramref name="handle"/> once its owner is set, where it is kept.</summary>
    public void Remember(SafeFileHandle handle)
    {
        if (_made is not null)
            _made = EntryIdentity.Of(Posix.Fstat(handle));
    }

    private void SetWhileEmpty(SafeFileHandle handle, uint layoutFlags)
    {
        try
        {
            Posix.SetFlags(handle, layoutFlags, Path);
        }
        catch (PosixException)
        {
            // reported by the final flags step
        }
    }

    /// <summary>
    /// Where content bytes go in the file: the same offsets for a file stored whole; for a sparse file, the
    /// pieces of the data extents that the range [<paramref name="contentOffset"/>, + <paramref name="length"/>)
    /// of the extents' concatenation falls into.
    /// </summary>
    public IEnumerable<(long FileOffset, int ContentOffset, int Length)> Place(long contentOffset, int length)
    {
        if (Node.Extents is not { } extents || _extentStarts is null)
        {
            yield return (contentOffset, 0, length);
            yield break;
        }
        var i = Array.BinarySearch(_extentStarts, contentOffset);
        if (i < 0)
            i = ~i - 1;
        var done = 0;
        while (done < length && i < extents.Count)
        {
            var within = contentOffset + done - _extentStarts[i];
            var piece = (int)Math.Min(length - done, extents[i].Length - within);
            yield return (extents[i].Offset + within, done, piece);
            done += piece;
            i++;
        }
    }

    /// <summary>
    /// The permissions the file is created with: its own, so that the mode usually needs no change afterwards, as
    /// long as its owner may write (a later blob reopens it for writing); never setuid, setgid or sticky, which the
    /// final mode sets once the owner is right. While the restore runs, its new directories admit only their owner.
    /// </summary>
    private uint CreationMode => (Node.Mode & 0x80) != 0 ? Node.Mode & 0x1FF : 0x180;

    private static long[]? StartsOf(IReadOnlyList<FileExtent>? extents)
    {
        if (extents is null)
            return null;
        var starts = new long[extents.Count];
        long at = 0;
        for (var i = 0; i < extents.Count; i++)
        {
            starts[i] = at;
            at += extents[i].Length;
        }
        return starts;
    }

    /// <summary>Marks one blob written; true when it was the last.</summary>
    public bool BlobDone(int count = 1) => Interlocked.Add(ref _remaining, -count) == 0;

    /// <summary>Marks the file as incomplete; true the first time.</summary>
    public bool Fail() => Interlocked.Exchange(ref _failed, 1) == 0;
}
