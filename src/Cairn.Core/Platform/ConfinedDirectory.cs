using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// A directory that is being filled, below which no symlink is ever followed and nothing goes into a directory it did
/// not make or take in: every entry is reached from the open directory (<c>openat2</c> with RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS; the <c>*at</c> calls on the entry's parent to make or remove it; a handle on the entry itself
/// to change it), and every directory below it is made (or, when one is there, taken in) through <see cref="Mkdir"/>,
/// which keeps its device and inode: an entry's parent is reached through a handle kept on it, or opened again and
/// found to be the same directory. So someone who may write to a directory inside it (a restore by root over a live
/// /home) can neither redirect a write, a mode or an owner elsewhere by putting a symlink in place of a directory or
/// a file, nor have entries made in a directory of their own by putting it in place of one made here: they go into
/// the directory made here wherever it was moved, or fail. The directory itself was chosen by the user and is
/// reached as given, symlinks included. Paths are absolute and below <see cref="Path"/>; messages name them. On a
/// kernel without <c>openat2</c> (before 5.6), or where a sandbox refuses it, paths are opened one component at a
/// time without following symlinks.
/// </summary>
public sealed class ConfinedDirectory : IDisposable
{
    /// <summary>How many directories below it are kept open, the most recently used.</summary>
    internal const int OpenDirectories = 64;

    private readonly SafeFileHandle _handle;
    private readonly bool _beneath;
    private readonly FileStatus _status;
    private readonly EntryIdentity _self;
    private readonly KnownDirectories _known;

    private ConfinedDirectory(SafeFileHandle handle, byte[] path, bool beneath, int openDirectories)
    {
        _handle = handle;
        Path = path;
        _beneath = beneath;
        _status = Posix.Fstat(handle);
        _self = EntryIdentity.Of(_status);
        _known = new KnownDirectories(openDirectories);
    }

    /// <summary>The directory's path, without a trailing slash.</summary>
    public byte[] Path { get; }

    /// <summary>The directory's own status when it was opened.</summary>
    public FileStatus Status => _status;

    /// <summary>Opens the existing directory at <paramref name="path"/>.</summary>
    public static ConfinedDirectory Open(byte[] path) => Open(path, withOpenat2: true);

    /// <summary>
    /// Opens the directory; without <paramref name="withOpenat2"/>, as on a kernel that lacks it; keeping up to
    /// <paramref name="openDirectories"/> directories below it open.
    /// </summary>
    internal static ConfinedDirectory Open(byte[] path, bool withOpenat2, int openDirectories = OpenDirectories)
    {
        ArgumentNullException.ThrowIfNull(path);
        var end = path.Length;
        while (end > 1 && path[end - 1] == (byte)'/')
            end--;
        var handle = Posix.OpenDirectoryPath(path);
        try
        {
            return new ConfinedDirectory(handle, path[..end], withOpenat2 && Posix.CanOpenBeneath(handle), openDirectories);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Creates a new regular file for writing; fails if the name exists.</summary>
    public SafeFileHandle CreateNew(byte[] path, uint mode) => OpenBelow(path, Posix.OpenPurpose.CreateNew, mode);

    /// <summary>Opens an existing regular file for writing at offsets, without truncating it.</summary>
    public SafeFileHandle OpenForWrite(byte[] path) => OpenBelow(path, Posix.OpenPurpose.Write);

    /// <summary>Opens a file for reading, without updating its access time where allowed.</summary>
    public SafeFileHandle OpenRead(byte[] path) => OpenBelow(path, Posix.OpenPurpose.Read);

    /// <summary>Opens a file or directory read-only, for <see cref="Posix.SetFlags"/>; a directory must be the one made or taken in.</summary>
    public SafeFileHandle OpenForFlags(byte[] path) => Checked(path, OpenBelow(path, Posix.OpenPurpose.Flags));

    /// <summary>
    /// Opens a directory read-only, for its metadata through the handle; a symlink or anything else in its place fails,
    /// and so does another directory in place of one made or taken in.
    /// </summary>
    public SafeFileHandle OpenDirectory(byte[] path) => Checked(path, OpenBelow(path, Posix.OpenPurpose.Directory));

    /// <summary>
    /// Opens any entry, a symlink itself included, as a handle that only names it (O_PATH), for its metadata
    /// (<see cref="Posix.ChownEntry"/> and the like): whatever takes its name afterwards is not changed instead. A
    /// directory must be the one made or taken in.
    /// </summary>
    public SafeFileHandle OpenEntry(byte[] path) => Checked(path, OpenBelow(path, Posix.OpenPurpose.Entry));

    /// <summary>
    /// Makes a directory (mode 0700 unless given), or takes in the directory that is there; true when it was made.
    /// Either way it is known from then on: entries go into it through a handle on it, and another directory put in
    /// its place is refused. One that is there is kept as it is when <paramref name="keeps"/> (given its status) says
    /// so or is not given; otherwise it is made the user's, with <paramref name="mode"/> and without ACLs, before
    /// anything goes into it, as a directory made anew is, and refused if it cannot be (where the filesystem has no
    /// owners and keeps every entry's owner and mode, it may keep its parent's).
    /// </summary>
    public bool Mkdir(byte[] path, uint mode = 0x1C0, Func<FileStatus, bool>? keeps = null)
    {
        var relative = Relative(path);
        using var entry = Locate(path);
        var made = Posix.MkdirAt(entry.Directory, entry.Name, mode, path);
        if (relative.IsEmpty)
            return made;
        var purpose = made || keeps is null ? Posix.OpenPurpose.DirectoryPath : Posix.OpenPurpose.Directory;
        var handle = Posix.OpenAt(entry.Directory, entry.Name, purpose, 0, _beneath, path);
        try
        {
            var status = Posix.Fstat(handle);
            // Made just now, it is the user's, or has its parent's owner and mode (a filesystem without owners), or is
            // in a parent that only its owner may write to (a server that maps root to nobody): not a directory someone
            // who may write to the parent put in its place between making and opening it.
            if (made && status.Uid != Posix.EffectiveUserId && !HasItsParentsOwnerAndMode(status, entry.Parent) && (entry.Parent.Mode & 0x12) != 0)
                throw Replaced(path);
            if (!made && keeps is not null && !keeps(status))
                status = TakeIn(handle, mode, status, entry.Parent, path);
            else if (!made)
                status = status with { Birth = null }; // overlayfs gives a directory the upper layer's when it copies it up
            _known.Add(relative, status, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return made;
    }

    /// <summary>Whether <paramref name="path"/> is the directory itself or one made or taken in by <see cref="Mkdir"/>.</summary>
    public bool Knows(byte[] path) => Relative(path) is var relative && (relative.IsEmpty || _known.TryGet(relative, out _));

    /// <summary>Removes a file, symlink or special file; succeeds when there is none.</summary>
    public void Unlink(byte[] path)
    {
        using var entry = Locate(path);
        Posix.UnlinkAt(entry.Directory, entry.Name, path);
    }

    /// <summary>Creates a symlink at <paramref name="path"/> pointing to <paramref name="target"/>.</summary>
    public void Symlink(byte[] target, byte[] path)
    {
        using var entry = Locate(path);
        Posix.SymlinkAt(target, entry.Directory, entry.Name, path);
    }

    /// <summary>Creates a FIFO or a device (<see cref="Posix.MakeNode"/>).</summary>
    public void MakeNode(byte[] path, FileKind kind, uint permissions, ulong rdev)
    {
        using var entry = Locate(path);
        Posix.MakeNodeAt(entry.Directory, entry.Name, kind, permissions, rdev, path);
    }

    /// <summary>Makes <paramref name="path"/> another name of the entry an <see cref="OpenEntry"/> handle holds.</summary>
    public void LinkTo(SafeFileHandle existing, byte[] path)
    {
        using var entry = Locate(path);
        Posix.LinkEntryAt(existing, entry.Directory, entry.Name, path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _known.Dispose();
        _handle.Dispose();
    }

    private SafeFileHandle OpenBelow(byte[] path, Posix.OpenPurpose purpose, uint mode = 0)
    {
        using var entry = Locate(path);
        return Posix.OpenAt(entry.Directory, entry.Name, purpose, mode, _beneath, path);
    }

    /// <summary>Returns <paramref name="handle"/> unless it is open on another directory than the one made or taken in at <paramref name="path"/>.</summary>
    private SafeFileHandle Checked(byte[] path, SafeFileHandle handle)
    {
        try
        {
            if (_known.TryGet(Relative(path), out var known) && !Is(handle, known))
                throw Replaced(path);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The part of <paramref name="path"/> below the directory; empty for the directory itself.</summary>
    private ReadOnlySpan<byte> Relative(byte[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var below = path.AsSpan();
        if (!below.StartsWith(Path) || (below.Length > Path.Length && below[Path.Length] != (byte)'/' && Path is not [(byte)'/']))
            throw new ArgumentException($"{Posix.Display(path)} is not below {Posix.Display(Path)}", nameof(path));
        return below[Path.Length..].TrimStart((byte)'/');
    }

    /// <summary>
    /// The entry's parent and its name there ('.' for the directory itself). The parent is the directory itself or
    /// one made or taken in, through the handle kept on it or opened again without following symlinks and found to be
    /// the same directory; anything else fails.
    /// </summary>
    private EntryAt Locate(byte[] path)
    {
        var relative = Relative(path);
        if (relative.IsEmpty)
            return new EntryAt(_handle, "."u8, _self, leased: false);
        var slash = relative.LastIndexOf((byte)'/');
        if (slash < 0)
            return new EntryAt(_handle, relative, _self, leased: false);
        var parent = relative[..slash];
        var name = relative[(slash + 1)..];
        if (!_known.TryLease(parent, out var known, out var handle))
            throw new PosixException(PosixException.ENOENT, "open", Posix.Display(path), "its directory was not made by the restore");
        if (handle is not null)
            return new EntryAt(handle, name, known, leased: true);
        var opened = Posix.OpenAt(_handle, parent, Posix.OpenPurpose.DirectoryPath, 0, _beneath, path);
        try
        {
            if (!Is(opened, known))
                throw Replaced(path[..(path.Length - name.Length - 1)]);
            return new EntryAt(_known.KeepLeased(parent, opened), name, known, leased: true);
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="handle"/> is open on the directory <paramref name="known"/> describes (<see cref="EntryIdentity.IsStill"/>).
    /// </summary>
    private static bool Is(SafeFileHandle handle, EntryIdentity known) => known.IsStill(Posix.Fstat(handle));

    /// <summary>
    /// Makes a directory that was there (<paramref name="existing"/>) the user's, with <paramref name="mode"/> and
    /// without ACLs (see <see cref="Mkdir"/>); each step the filesystem refuses is left. It must then be the user's and
    /// let neither group nor others write to it, or, where the filesystem changed neither its owner nor its mode, have
    /// its parent's owner and mode (vfat, exFAT and ntfs-3g give every entry the same, and refuse or ignore changes);
    /// otherwise it is refused (a server that maps root to nobody, an immutable directory).
    /// </summary>
    private static FileStatus TakeIn(SafeFileHandle directory, uint mode, FileStatus existing, EntryIdentity parent, byte[] path)
    {
        Try(() => Posix.Fchown(directory, Posix.EffectiveUserId, Posix.EffectiveGroupId, path));
        Try(() => Posix.Fchmod(directory, mode, path));
        Try(() => Posix.RemoveXattr(directory, "system.posix_acl_access"u8, path));
        Try(() => Posix.RemoveXattr(directory, "system.posix_acl_default"u8, path));
        var status = Posix.Fstat(directory);
        var unchanged = status.Uid == existing.Uid && status.Mode == existing.Mode;
        if (status.Uid == Posix.EffectiveUserId && (status.Mode & 0x12) == 0 || unchanged && HasItsParentsOwnerAndMode(status, parent))
            return status;
        throw new PosixException(PosixException.EPERM, "take in", Posix.Display(path),
            "a directory of someone else's that cannot be made the restore's while it is filled (not entered)");

        static void Try(Action step)
        {
            try
            {
                step();
            }
            catch (PosixException)
            {
                // a filesystem without owners or ACLs: the check above decides
            }
        }
    }

    /// <summary>Whether a directory has the owner and mode of its parent, as every entry has on a filesystem without owners.</summary>
    private static bool HasItsParentsOwnerAndMode(FileStatus directory, EntryIdentity parent) =>
        directory.Uid == parent.Uid && directory.Mode == parent.Mode;

    private static PosixException Replaced(byte[] path) =>
        new(PosixException.ESTALE, "open", Posix.Display(path), "replaced during the restore by a directory the restore did not make (not entered)");

    /// <summary>An entry as its parent directory's handle (with the parent's status when it was made or taken in) and its name there.</summary>
    private readonly ref struct EntryAt(SafeFileHandle directory, ReadOnlySpan<byte> name, EntryIdentity parent, bool leased)
    {
        public SafeFileHandle Directory { get; } = directory;

        public ReadOnlySpan<byte> Name { get; } = name;

        public EntryIdentity Parent { get; } = parent;

        public void Dispose()
        {
            if (leased)
                Directory.DangerousRelease();
        }
    }
}
