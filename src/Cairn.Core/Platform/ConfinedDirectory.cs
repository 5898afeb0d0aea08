using Microsoft.Win32.SafeHandles;

namespace Cairn.Core.Platform;

/// <summary>
/// A directory that is being filled, below which no symlink is ever followed: every entry is reached from the open
/// directory (<c>openat2</c> with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS; the <c>*at</c> calls on the entry's parent to
/// make or remove it; a handle on the entry itself to change it), so that someone who may write to a directory inside
/// it (a restore by root over a live /home) cannot redirect a write, a mode or an owner elsewhere by putting a symlink
/// in place of a directory or a file. The
/// directory itself was chosen by the user and is reached as given, symlinks included. Paths are absolute and
/// below <see cref="Path"/>; messages name them. On a kernel without <c>openat2</c> (before 5.6), or where a
/// sandbox refuses it, paths are opened one component at a time without following symlinks.
/// </summary>
public sealed class ConfinedDirectory : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly bool _beneath;

    private ConfinedDirectory(SafeFileHandle handle, byte[] path, bool beneath)
    {
        _handle = handle;
        Path = path;
        _beneath = beneath;
    }

    /// <summary>The directory's path, without a trailing slash.</summary>
    public byte[] Path { get; }

    /// <summary>Opens the existing directory at <paramref name="path"/>.</summary>
    public static ConfinedDirectory Open(byte[] path) => Open(path, withOpenat2: true);

    /// <summary>Opens the directory; without <paramref name="withOpenat2"/>, as on a kernel that lacks it.</summary>
    internal static ConfinedDirectory Open(byte[] path, bool withOpenat2)
    {
        ArgumentNullException.ThrowIfNull(path);
        var end = path.Length;
        while (end > 1 && path[end - 1] == (byte)'/')
            end--;
        var handle = Posix.OpenDirectoryPath(path);
        return new ConfinedDirectory(handle, path[..end], withOpenat2 && Posix.CanOpenBeneath(handle));
    }

    /// <summary>Creates a new regular file for writing; fails if the name exists.</summary>
    public SafeFileHandle CreateNew(byte[] path, uint mode) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.CreateNew, mode, _beneath, path);

    /// <summary>Opens an existing regular file for writing at offsets, without truncating it.</summary>
    public SafeFileHandle OpenForWrite(byte[] path) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.Write, 0, _beneath, path);

    /// <summary>Opens a file for reading, without updating its access time where allowed.</summary>
    public SafeFileHandle OpenRead(byte[] path) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.Read, 0, _beneath, path);

    /// <summary>Opens a file or directory read-only, for <see cref="Posix.SetFlags"/>.</summary>
    public SafeFileHandle OpenForFlags(byte[] path) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.Flags, 0, _beneath, path);

    /// <summary>Opens a directory read-only, for its metadata through the handle; a symlink or anything else in its place fails.</summary>
    public SafeFileHandle OpenDirectory(byte[] path) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.Directory, 0, _beneath, path);

    /// <summary>
    /// Opens any entry, a symlink itself included, as a handle that only names it (O_PATH), for its metadata
    /// (<see cref="Posix.ChownEntry"/> and the like): whatever takes its name afterwards is not changed instead.
    /// </summary>
    public SafeFileHandle OpenEntry(byte[] path) => Posix.OpenAt(_handle, Relative(path), Posix.OpenPurpose.Entry, 0, _beneath, path);

    /// <summary>Makes a directory (mode 0700 unless given); an existing directory is fine. True when it was made.</summary>
    public bool Mkdir(byte[] path, uint mode = 0x1C0)
    {
        using var entry = Locate(path);
        return Posix.MkdirAt(entry.Directory, entry.Name, mode, path);
    }

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
    public void Dispose() => _handle.Dispose();

    /// <summary>The part of <paramref name="path"/> below the directory; empty for the directory itself.</summary>
    private ReadOnlySpan<byte> Relative(byte[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var below = path.AsSpan();
        if (!below.StartsWith(Path) || (below.Length > Path.Length && below[Path.Length] != (byte)'/' && Path is not [(byte)'/']))
            throw new ArgumentException($"{Posix.Display(path)} is not below {Posix.Display(Path)}", nameof(path));
        return below[Path.Length..].TrimStart((byte)'/');
    }

    /// <summary>The entry's parent, opened without following symlinks, and its name there ('.' for the directory itself).</summary>
    private EntryAt Locate(byte[] path)
    {
        var relative = Relative(path);
        if (relative.IsEmpty)
            return new EntryAt(_handle, "."u8, owned: false);
        var slash = relative.LastIndexOf((byte)'/');
        var parent = Posix.OpenAt(_handle, slash < 0 ? [] : relative[..slash], Posix.OpenPurpose.DirectoryPath, 0, _beneath, path);
        return new EntryAt(parent, relative[(slash + 1)..], owned: true);
    }

    /// <summary>An entry as its parent directory's handle and its name there.</summary>
    private readonly ref struct EntryAt(SafeFileHandle directory, ReadOnlySpan<byte> name, bool owned)
    {
        public SafeFileHandle Directory { get; } = directory;

        public ReadOnlySpan<byte> Name { get; } = name;

        public void Dispose()
        {
            if (owned)
                Directory.Dispose();
        }
    }
}
