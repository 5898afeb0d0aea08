using Cairn.Core.Platform;
using Cairn.Core.Trees;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Restore;

/// <summary>
/// Gives restored entries their metadata inside the restore's <paramref name="target"/>: owner, extended attributes
/// and ACLs, mode, times and chattr flags, through a handle on each entry so that nothing put in its place
/// meanwhile gets them. What the target cannot hold is counted per kind and reason (<see cref="Dropped"/>), never
/// fatal. A directory that was there before the restore and hands new entries a default ACL or flags makes every
/// entry get exactly its own (<see cref="NoteInheritance"/>).
/// </summary>
internal sealed class MetadataWriter(ConfinedDirectory target, RestoreOptions options, RestoreProgress progress)
{
    private static readonly byte[] AccessAcl = "system.posix_acl_access"u8.ToArray(), DefaultAcl = "system.posix_acl_default"u8.ToArray();
    private readonly MetadataDrops _drops = new();
    private long _metadataNotApplied;
    private volatile bool _inheritsAcls, _inheritsFlags; // set by the planner, read by the writers too

    /// <summary>Entries some metadata of which could not be applied.</summary>
    public long NotApplied => Interlocked.Read(ref _metadataNotApplied);

    /// <summary>What could not be applied, per kind and reason.</summary>
    public IReadOnlyList<DroppedMetadata> Dropped => _drops.ToList();

    /// <summary>Records metadata the target cannot hold that the restore met elsewhere (a device only root makes).</summary>
    public void Drop(MetadataKind kind, PosixException e, byte[] path) => _drops.Record(kind, e, path);

    /// <summary>
    /// The flags a new file gets while still empty (nocow, compress), unless <see cref="RestoreOptions.NoFlags"/>; null
    /// to leave them, when it has none and inherits none.
    /// </summary>
    public uint? LayoutFlagsOf(Node node) =>
        options.NoFlags || (node.Flags & Posix.DataLayoutFlags) is var flags && flags == 0 && !_inheritsFlags ? null : flags;

    /// <summary>Sets a file's chattr flags at the end, only if its name still leads to the file this restore made.</summary>
    public void ApplyFileFlags(RestoreFile file)
    {
        var path = file.Path;
        SafeFileHandle handle;
        try
        {
            handle = target.OpenForFlags(path);
        }
        catch (PosixException e)
        {
            if (!e.IsNotFound)
                progress.Error(Posix.Display(path), $"flags not set: {e.Message}");
            return;
        }
        using (handle)
        {
            if (file.IsStill(handle))
                ApplyFlags(path, file.Flags, handle);
            else
                progress.Error(Posix.Display(path), "flags not set: replaced during the restore by another file");
        }
    }

    /// <summary>Whether <see cref="ApplyFlags"/> has anything to set on the entry of <paramref name="node"/>.</summary>
    public bool SetsFlags(Node node) => SetsFlags(node.Flags);

    private bool SetsFlags(uint flags) => (flags != 0 || _inheritsFlags) && !options.NoFlags;

    /// <summary>
    /// Gives a directory its metadata and flags through a handle: only a directory opens as one, so that nothing
    /// put in its place meanwhile (a symlink, a hard link to a file) gets them. A directory its owner may not read
    /// (a user other than root restoring over one) gets them by name.
    /// </summary>
    public void FinishDirectory(byte[] path, Node node)
    {
        SafeFileHandle? handle;
        try
        {
            handle = target.OpenDirectory(path);
        }
        catch (PosixException e) when (e.Errno == PosixException.EACCES && Posix.EffectiveUserId != 0)
        {
            handle = null;
        }
        catch (PosixException e)
        {
            progress.Error(Posix.Display(path), $"directory metadata not applied: {e.Message}");
            return;
        }
        using (handle)
        {
            ApplyMetadata(path, node, handle);
            ApplyFlags(path, node.Flags, handle);
        }
    }

    /// <summary>Sets chattr flags (immutable, append-only, nodump…) unless <see cref="RestoreOptions.NoFlags"/>, through <paramref name="open"/> when given.</summary>
    private void ApplyFlags(byte[] path, uint flags, SafeFileHandle? open = null)
    {
        if (!SetsFlags(flags))
            return;
        try
        {
            using var opened = open is null ? target.OpenForFlags(path) : null;
            Posix.SetFlags(open ?? opened!, flags, path);
        }
        catch (PosixException e) when (!e.IsNotFound && (flags != 0 || !e.IsNotSupported && e.Errno is not (PosixException.ENOTTY or PosixException.EINVAL)))
        {
            Interlocked.Increment(ref _metadataNotApplied);
            _drops.Record(MetadataKind.Flags, e, path);
        }
        catch (PosixException)
        {
            // not restored (an error reported already)
        }
    }

    /// <summary>
    /// Applies owner, extended attributes and ACLs, mode and times, in that order (a change of owner clears
    /// setuid bits, and times last so nothing moves them again). What the target cannot hold is counted per kind
    /// and reason, never fatal. Through an open <paramref name="handle"/>, an owner or mode the file has already
    /// (as a new file usually does) is left alone: each change of either costs a journalled inode update.
    /// </summary>
    public void ApplyMetadata(byte[] path, Node node, SafeFileHandle? handle = null)
    {
        if (handle is not null)
        {
            ApplyMetadata(path, node, handle, namesOnly: false);
            return;
        }
        // An entry without an open descriptor (a symlink, FIFO or device, a directory its owner may not read) gets
        // its metadata through a handle that names it, only if it is still of its kind: nothing put in its place
        // meanwhile (a hard link to another file) is changed instead.
        SafeFileHandle entry;
        try
        {
            entry = target.OpenEntry(path);
        }
        catch (PosixException e)
        {
            progress.Error(Posix.Display(path), $"metadata not applied: {e.Message}");
            return;
        }
        using (entry)
        {
            // A new symlink, FIFO or device has one link; a hard link planted in its place has two or more.
            if (StatusOrNull(entry) is not { } found || found.Kind != node.Kind || (found.Kind != FileKind.Directory && found.Links != 1))
            {
                progress.Error(Posix.Display(path), "metadata not applied: replaced during the restore by another kind of entry");
                return;
            }
            ApplyMetadata(path, node, entry, namesOnly: true);
        }
    }

    /// <summary>
    /// <see cref="ApplyMetadata(byte[], Node, SafeFileHandle?)"/> through an open file, or with
    /// <paramref name="namesOnly"/> through a handle that only names the entry (O_PATH).
    /// </summary>
    private void ApplyMetadata(byte[] path, Node node, SafeFileHandle handle, bool namesOnly)
    {
        var dropped = false;
        var now = StatusOrNull(handle);
        if (!options.NoOwner)
        {
            try
            {
                var (uid, gid) = OwnerOf(node);
                if (now is null || now.Uid != uid || now.Gid != gid)
                {
                    if (namesOnly)
                        Posix.ChownEntry(handle, uid, gid, path);
                    else
                        Posix.Fchown(handle, uid, gid, path);
                }
            }
            catch (PosixException e)
            {
                dropped = true;
                _drops.Record(MetadataKind.Owner, e, path);
            }
        }
        if (_inheritsAcls && node.Kind != FileKind.Symlink && !options.NoAcls)
        {
            now = null; // the mode is set after the ACLs are gone
            dropped |= !RemoveInheritedAcls(path, node, handle, namesOnly);
        }
        foreach (var x in node.Xattrs)
        {
            if (x.IsAcl ? options.NoAcls : options.NoXattrs)
                continue;
            if (x.Name.AsSpan().IndexOf((byte)0) >= 0)
            {
                progress.Error(Posix.Display(path), "an extended attribute not set: its name holds a NUL byte (a damaged or crafted snapshot)");
                continue;
            }
            now = null; // an ACL moves the mode's group bits: after any attribute, the mode is set
            try
            {
                if (namesOnly)
                    Posix.SetXattrEntry(handle, x.Name, x.Value, path);
                else
                    Posix.SetXattr(handle, x.Name, x.Value, path);
            }
            catch (PosixException e)
            {
                dropped = true;
                _drops.Record(x.IsAcl ? MetadataKind.Acl : MetadataKind.Xattr, e, path);
            }
        }
        if (node.Kind != FileKind.Symlink && (now is null || now.Mode != node.Mode))
        {
            try
            {
                if (namesOnly)
                    Posix.ChmodEntry(handle, node.Mode, path);
                else
                    Posix.Fchmod(handle, node.Mode, path);
            }
            catch (PosixException e)
            {
                dropped = true;
                _drops.Record(MetadataKind.Mode, e, path);
            }
        }
        if (!options.NoTimes)
        {
            try
            {
                if (namesOnly)
                    Posix.SetTimesEntry(handle, node.Atime, node.Mtime, path);
                else
                    Posix.SetTimes(handle, node.Atime, node.Mtime, path);
            }
            catch (PosixException e)
            {
                dropped = true;
                _drops.Record(MetadataKind.Times, e, path);
            }
        }
        if (dropped)
            Interlocked.Increment(ref _metadataNotApplied);
    }

    /// <summary>The status of an open file, or null when it cannot be read (then every attribute is set).</summary>
    private static FileStatus? StatusOrNull(SafeFileHandle handle)
    {
        try
        {
            return Posix.Fstat(handle);
        }
        catch (PosixException)
        {
            return null;
        }
    }

    /// <summary>
    /// The owner to give: by name when the snapshot has a name that exists here (ids differ between machines),
    /// else by id; always by id with <see cref="RestoreOptions.NumericOwner"/>.
    /// </summary>
    public (uint Uid, uint Gid) OwnerOf(Node node)
    {
        if (options.NumericOwner)
            return (node.Uid, node.Gid);
        var uid = node.User is { } user ? Posix.UserId(user) ?? node.Uid : node.Uid;
        var gid = node.Group is { } group ? Posix.GroupId(group) ?? node.Gid : node.Gid;
        return (uid, gid);
    }

    /// <summary>
    /// Notes whether a directory that was there before the restore hands new entries a default ACL or chattr flags
    /// (new files and directories inherit them). Then every entry gets exactly its own ACLs and flags, losing what it
    /// inherited; otherwise entries without ACLs or flags cost nothing more.
    /// </summary>
    public void NoteInheritance(byte[] directory)
    {
        if (_inheritsAcls && _inheritsFlags)
            return;
        try
        {
            using var handle = target.OpenDirectory(directory);
            _inheritsAcls |= !options.NoAcls && Posix.GetXattr(handle, DefaultAcl, directory) is not null;
            _inheritsFlags |= !options.NoFlags && Posix.GetFlags(handle, directory) != 0;
        }
        catch (PosixException)
        {
            // unreadable: nothing known to inherit
        }
    }

    /// <summary>Removes the ACLs an entry inherited and the snapshot does not give it; false when one could not be removed.</summary>
    private bool RemoveInheritedAcls(byte[] path, Node node, SafeFileHandle handle, bool namesOnly)
    {
        var removed = true;
        foreach (var acl in node.Kind == FileKind.Directory ? [AccessAcl, DefaultAcl] : new[] { AccessAcl })
        {
            if (node.Xattrs.Any(x => x.Name.AsSpan().SequenceEqual(acl)))
                continue;
            try
            {
                if (namesOnly)
                    Posix.RemoveXattrEntry(handle, acl, path);
                else
                    Posix.RemoveXattr(handle, acl, path);
            }
            catch (PosixException e) when (!e.IsNotSupported)
            {
                removed = false;
                _drops.Record(MetadataKind.Acl, e, path);
            }
            catch (PosixException)
            {
                // a filesystem without ACLs gave it none
            }
        }
        return removed;
    }
}
